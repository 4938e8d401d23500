/** @module connect */
import { Context, Descriptor, IContext, IReferences } from 'pip-services4-components-node';
import { CompositeCounters, CompositeLogger, CompositeTracer, TraceTiming } from 'pip-services4-observability-node';

/**
 * What one component (RedisLock, RedisCache, their connections) logs, counts and traces, through
 * the CompositeLogger, CompositeCounters and CompositeTracer the component keeps.
 *
 * Internal: not exported from the package.
 *
 * - Cost: the composites cost Date objects and calls even with nothing behind them, so
 *   [[update]] finds out, when references are set, whether any logger, counters or tracer is
 *   there; until one is, the flags stay false and the components skip every clock read, counter
 *   name and trace on their paths (they check the flag before calling here).
 * - Safety: nothing here throws. A logger, counters or tracer that throws is ignored, so
 *   observability never changes the outcome of a lock or cache operation.
 * - Counter names are `<component>.<what>`, e.g. `redis_lock.acquire.acquired`.
 * - Timings go to `endTiming` (Interval counters), measured by the caller on a monotonic clock,
 *   in ms with microsecond precision. The toolkit's CompositeCounters calls `endTiming` on every
 *   counters reference without checking that it has one (NullCounters has none, so it would
 *   throw a TypeError and the counters after it would get nothing): when any counters reference
 *   lacks `endTiming`, timings go to `stats` (Statistics counters, same figures) instead.
 */
export class RedisObservability {
    /** True once a logger (`*:logger:*:*:*` with a `log` function) is referenced. */
    public logging = false;
    /** True once counters (`*:counters:*:*:*`) are referenced. */
    public counting = false;
    /** True once a tracer (`*:tracer:*:*:*`) is referenced. */
    public tracing = false;

    private readonly _component: string;
    private readonly _logger: CompositeLogger;
    private readonly _counters: CompositeCounters;
    private readonly _tracer: CompositeTracer;
    private readonly _names = new Map<string, string>();
    private _timingsAsStats = false;

    /**
     * Creates the helper of one component.
     *
     * @param component the component's name in counters, traces and log messages (e.g. `redis_lock`).
     * @param logger    the component's logger.
     * @param counters  the component's counters.
     * @param tracer    the component's tracer.
     */
    public constructor(component: string, logger: CompositeLogger, counters: CompositeCounters, tracer: CompositeTracer) {
        this._component = component;
        this._logger = logger;
        this._counters = counters;
        this._tracer = tracer;
    }

    /** The component's name in counters, traces and log messages. */
    public get component(): string {
        return this._component;
    }

    /** True when acquire/release/getOrSet have anything to count or trace. */
    public get observing(): boolean {
        return this.counting || this.tracing;
    }

    /**
     * Finds out which of logging, counting and tracing now has somewhere to go. Call it after the
     * composites' own setReferences, with the same references; the composites keep what they
     * collected, so a flag once set stays set.
     *
     * @param references    the references the composites were given.
     */
    public update(references: IReferences): void {
        const loggers = references.getOptional<any>(new Descriptor('*', 'logger', '*', '*', '*'));
        if (loggers.some(logger => typeof logger?.log === 'function')) this.logging = true;
        const counters = references.getOptional<any>(new Descriptor('*', 'counters', '*', '*', '*'))
            .filter(c => c !== this._counters);
        if (counters.length > 0) this.counting = true;
        if (counters.some(c => typeof c?.endTiming !== 'function')) this._timingsAsStats = true;
        const tracers = references.getOptional<any>(new Descriptor('*', 'tracer', '*', '*', '*'))
            .filter(t => t !== this._tracer);
        if (tracers.length > 0) this.tracing = true;
    }

    /**
     * Logs important information.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param message   a `util.format` format.
     * @param args      its values.
     */
    public info(context: IContext | string | null, message: string, ...args: any[]): void {
        if (!this.logging) return;
        try {
            this._logger.info(RedisObservability.contextOf(context), message, ...args);
        } catch {
            // A failing logger must not fail the operation.
        }
    }

    /**
     * Logs a warning.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param message   a `util.format` format.
     * @param args      its values.
     */
    public warn(context: IContext | string | null, message: string, ...args: any[]): void {
        if (!this.logging) return;
        try {
            this._logger.warn(RedisObservability.contextOf(context), message, ...args);
        } catch {
            // A failing logger must not fail the operation.
        }
    }

    /**
     * Logs an error.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param error     the error: a pip-services exception of this library (never a raw driver
     *                  error, whose text the library does not control).
     * @param message   a `util.format` format.
     * @param args      its values.
     */
    public error(context: IContext | string | null, error: Error, message: string, ...args: any[]): void {
        if (!this.logging) return;
        try {
            this._logger.error(RedisObservability.contextOf(context), error, message, ...args);
        } catch {
            // A failing logger must not fail the operation.
        }
    }

    /**
     * Adds to an increment counter `<component>.<name>`.
     *
     * @param name  the counter name after the component's.
     * @param value (optional) how much to add (default: 1).
     */
    public increment(name: string, value = 1): void {
        if (!this.counting) return;
        try {
            this._counters.increment(this.nameOf(name), value);
        } catch {
            // A failing counter must not fail the operation.
        }
    }

    /**
     * Records a timing `<component>.<name>`.
     *
     * @param name      the counter name after the component's.
     * @param elapsed   the elapsed time in ms (rounded here to microseconds).
     */
    public time(name: string, elapsed: number): void {
        if (!this.counting) return;
        const ms = Math.round(elapsed * 1000) / 1000;
        try {
            if (this._timingsAsStats) this._counters.stats(this.nameOf(name), ms);
            else this._counters.endTiming(this.nameOf(name), ms);
        } catch {
            // A failing counter must not fail the operation.
        }
    }

    /**
     * Starts tracing an operation of the component.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param operation the operation, e.g. `acquire`.
     * @returns the timing, or null when nothing traces (or the tracer failed).
     */
    public beginTrace(context: IContext | string | null, operation: string): TraceTiming | null {
        if (!this.tracing) return null;
        try {
            return this._tracer.beginTrace(RedisObservability.contextOf(context), this._component, operation);
        } catch {
            return null;
        }
    }

    /**
     * Ends a trace as a success.
     *
     * @param timing    what [[beginTrace]] returned.
     */
    public endTrace(timing: TraceTiming | null): void {
        if (timing == null) return;
        try {
            timing.endTrace();
        } catch {
            // A failing tracer must not fail the operation.
        }
    }

    /**
     * Ends a trace as a failure.
     *
     * @param timing    what [[beginTrace]] returned.
     * @param error     the error the operation failed with.
     */
    public endFailure(timing: TraceTiming | null, error: any): void {
        if (timing == null) return;
        try {
            timing.endFailure(error);
        } catch {
            // A failing tracer must not fail the operation.
        }
    }

    /**
     * The context to hand to loggers and tracers: an IContext as is, a trace id as a Context,
     * anything else as null (loggers read the trace id with `context.get`).
     *
     * @param context   what the caller passed as a context.
     * @returns an IContext, or null.
     */
    public static contextOf(context: IContext | string | null | undefined): IContext {
        if (typeof context === 'string') return Context.fromTraceId(context);
        if (context != null && typeof (context as any).get === 'function') return context;
        return null as any;
    }

    private nameOf(name: string): string {
        let full = this._names.get(name);
        if (full === undefined) {
            full = this._component + '.' + name;
            this._names.set(name, full);
        }
        return full;
    }
}

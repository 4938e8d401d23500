/** @module connect */
import { Descriptor, IContext, IReferences } from 'pip-services4-components-node';
import { CompositeCounters, CompositeLogger, CompositeTracer, TraceTiming } from 'pip-services4-observability-node';

import { TraceId } from './TraceId';

/**
 * What one component (RedisLock, RedisCache, their connections) logs, counts and traces, through
 * the CompositeLogger, CompositeCounters and CompositeTracer the component keeps.
 *
 * Internal: not exported from the package.
 *
 * - Cost: the composites cost Date objects and calls even with nothing behind them, so
 *   [[setReferences]] finds out, when references are set, whether any logger, counters or tracer is
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
    private readonly _tracer: CompositeTracer | undefined;
    private readonly _names = new Map<string, string>();
    private _timingsAsStats = false;

    /**
     * Creates the helper of one component.
     *
     * @param component the component's name in counters, traces and log messages (e.g. `redis_lock`).
     * @param logger    the component's logger.
     * @param counters  the component's counters.
     * @param tracer    (optional) the component's tracer; none for a component that traces nothing.
     */
    public constructor(component: string, logger: CompositeLogger, counters: CompositeCounters, tracer?: CompositeTracer) {
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
     * Hands the references to the component's logger, counters and tracer, and finds out which of
     * logging, counting and tracing now has somewhere to go. The composites keep what they
     * collected, so a flag once set stays set.
     *
     * @param references    the component's references.
     */
    public setReferences(references: IReferences): void {
        this._logger.setReferences(references);
        this._counters.setReferences(references);
        this._tracer?.setReferences(references);
        const loggers = references.getOptional<any>(new Descriptor('*', 'logger', '*', '*', '*'));
        if (loggers.some(logger => typeof logger?.log === 'function')) this.logging = true;
        const counters = references.getOptional<any>(new Descriptor('*', 'counters', '*', '*', '*'))
            .filter(c => c !== this._counters);
        if (counters.length > 0) this.counting = true;
        if (counters.some(c => typeof c?.endTiming !== 'function')) this._timingsAsStats = true;
        const tracers = references.getOptional<any>(new Descriptor('*', 'tracer', '*', '*', '*'))
            .filter(t => t !== this._tracer);
        if (this._tracer != null && tracers.length > 0) this.tracing = true;
    }

    /**
     * Logs important information.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param message   a `util.format` format.
     * @param args      its values.
     */
    public info(context: IContext | string | null, message: string, ...args: any[]): void {
        if (this.logging) RedisObservability.safely(() => this._logger.info(TraceId.toContext(context), message, ...args));
    }

    /**
     * Logs a warning.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param message   a `util.format` format.
     * @param args      its values.
     */
    public warn(context: IContext | string | null, message: string, ...args: any[]): void {
        if (this.logging) RedisObservability.safely(() => this._logger.warn(TraceId.toContext(context), message, ...args));
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
        if (this.logging) {
            RedisObservability.safely(() => this._logger.error(TraceId.toContext(context), error, message, ...args));
        }
    }

    /**
     * Adds to an increment counter `<component>.<name>`.
     *
     * @param name  the counter name after the component's.
     * @param value (optional) how much to add (default: 1).
     */
    public increment(name: string, value = 1): void {
        if (this.counting) RedisObservability.safely(() => this._counters.increment(this.nameOf(name), value));
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
        RedisObservability.safely(() => {
            if (this._timingsAsStats) this._counters.stats(this.nameOf(name), ms);
            else this._counters.endTiming(this.nameOf(name), ms);
        });
    }

    /**
     * Runs an operation of the component under a trace (success or failure, with its error); just
     * runs it when nothing traces.
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param operation the operation, e.g. `release`.
     * @param action    the operation.
     * @returns what the operation resolves to.
     */
    public async traced<T>(context: IContext | string | null, operation: string, action: () => Promise<T>): Promise<T> {
        if (!this.tracing) return action();
        const timing = this.beginTrace(context, operation);
        try {
            const result = await action();
            this.endTrace(timing);
            return result;
        } catch (err) {
            this.endFailure(timing, err);
            throw err;
        }
    }

    /**
     * Starts tracing an operation of the component, for operations whose outcome [[traced]] cannot
     * tell (a timed-out acquire that returns null may still be a failure).
     *
     * @param context   the caller's context (IContext or trace id), or null.
     * @param operation the operation, e.g. `acquire`.
     * @returns the timing, or null when nothing traces (or the tracer failed).
     */
    public beginTrace(context: IContext | string | null, operation: string): TraceTiming | null {
        if (!this.tracing) return null;
        return RedisObservability.safely(() => this._tracer!.beginTrace(TraceId.toContext(context), this._component, operation));
    }

    /**
     * Ends a trace as a success.
     *
     * @param timing    what [[beginTrace]] returned.
     */
    public endTrace(timing: TraceTiming | null): void {
        if (timing != null) RedisObservability.safely(() => timing.endTrace());
    }

    /**
     * Ends a trace as a failure.
     *
     * @param timing    what [[beginTrace]] returned.
     * @param error     the error the operation failed with.
     */
    public endFailure(timing: TraceTiming | null, error: any): void {
        if (timing != null) RedisObservability.safely(() => timing.endFailure(error));
    }

    // A logger, counter or tracer that throws must not change the outcome of the operation.
    private static safely<T>(action: () => T): T | null {
        try {
            return action();
        } catch {
            return null;
        }
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

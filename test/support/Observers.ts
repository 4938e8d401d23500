import { inspect } from 'util';
import { Descriptor, IContext, References } from 'pip-services4-components-node';
import {
    CachedCounters, Counter, CounterType, ITracer, Logger, LogLevel, LogLevelConverter, TraceTiming
} from 'pip-services4-observability-node';

/** One message as a destination logger received it. */
export interface LoggedEntry {
    level: LogLevel;
    context: IContext;
    error: Error | null;
    message: string;
}

/**
 * A logger that keeps every message (a real Logger subclass, as a service would register), and
 * lets a test wait for a message instead of sleeping.
 */
export class MemoryLogger extends Logger {
    public readonly entries: LoggedEntry[] = [];
    private readonly _waiters: { match: (entry: LoggedEntry) => boolean, resolve: (entry: LoggedEntry) => void }[] = [];

    public constructor() {
        super();
        this.setLevel(LogLevel.Trace);
    }

    protected write(level: LogLevel, context: IContext, error: Error, message: string): void {
        const entry: LoggedEntry = { level, context, error, message };
        this.entries.push(entry);
        for (const waiter of [...this._waiters]) {
            if (waiter.match(entry)) {
                this._waiters.splice(this._waiters.indexOf(waiter), 1);
                waiter.resolve(entry);
            }
        }
    }

    /** The messages at a level. */
    public at(level: LogLevel): LoggedEntry[] {
        return this.entries.filter(e => e.level == level);
    }

    /** Resolves with the first message (already logged or to come) that matches. */
    public waitFor(level: LogLevel, pattern: RegExp): Promise<LoggedEntry> {
        const match = (e: LoggedEntry) => e.level == level && pattern.test(e.message);
        const found = this.entries.find(match);
        if (found != null) return Promise.resolve(found);
        return new Promise(resolve => this._waiters.push({ match, resolve }));
    }

    /** Resolves once `count` messages from index `from` on (already logged or to come) match. */
    public waitForCount(level: LogLevel, pattern: RegExp, count: number, from = 0): Promise<void> {
        let seen = this.entries.slice(from).filter(e => e.level == level && pattern.test(e.message)).length;
        if (seen >= count) return Promise.resolve();
        return new Promise(resolve => {
            const waiter = {
                match: (e: LoggedEntry) => e.level == level && pattern.test(e.message) && ++seen >= count,
                resolve: () => resolve()
            };
            this._waiters.push(waiter);
        });
    }

    /** Every line as a console logger would write it, errors in full (message, cause, stack, details). */
    public lines(): string[] {
        return this.entries.map(e => {
            let line = LogLevelConverter.toString(e.level) + ' ' + e.message;
            if (e.error != null) {
                line += ': ' + this.composeError(e.error) + ' ' + JSON.stringify(e.error)
                    + ' ' + inspect(e.error, { depth: Infinity, showHidden: true });
            }
            return line;
        });
    }
}

/** Counters kept in memory (CachedCounters that never save anywhere). */
export class MemoryCounters extends CachedCounters {
    protected save(_counters: Counter[]): void {
        // Kept in memory only.
    }

    /** The counter with this name, whatever its type, or undefined. */
    public find(name: string): Counter | undefined {
        return this.getAll().find(c => c.name == name);
    }

    /** An increment counter's total (0 when absent). */
    public total(name: string): number {
        const counter = this.find(name);
        return counter?.type == CounterType.Increment ? counter.count : 0;
    }

    /** How many times a timing (Interval or Statistics) was recorded (0 when absent). */
    public timings(name: string): number {
        const counter = this.find(name);
        return counter?.type == CounterType.Interval || counter?.type == CounterType.Statistics ? counter.count : 0;
    }

    /** Every counter name. */
    public names(): string[] {
        return this.getAll().map(c => c.name);
    }
}

/** One trace as a destination tracer received it. */
export interface TracedOperation {
    context: IContext;
    component: string;
    operation: string;
    error: any;
    duration: number;
}

/** A tracer that keeps every trace. */
export class MemoryTracer implements ITracer {
    public readonly traces: TracedOperation[] = [];

    public trace(context: IContext, component: string, operation: string, duration: number): void {
        this.traces.push({ context, component, operation, error: null, duration });
    }

    public failure(context: IContext, component: string, operation: string, error: Error, duration: number): void {
        this.traces.push({ context, component, operation, error, duration });
    }

    public beginTrace(context: IContext, component: string, operation: string): TraceTiming {
        return new TraceTiming(context, component, operation, this);
    }

    /** The traces of one operation of one component. */
    public of(component: string, operation: string): TracedOperation[] {
        return this.traces.filter(t => t.component == component && t.operation == operation);
    }
}

/** A logger, counters and a tracer, registered as a pip-services container would. */
export class Observers {
    public readonly logger = new MemoryLogger();
    public readonly counters = new MemoryCounters();
    public readonly tracer = new MemoryTracer();

    /** The references to give a component (`pip-services:{logger,counters,tracer}:memory:default:1.0`). */
    public references(...more: any[]): References {
        return References.fromTuples(
            new Descriptor('pip-services', 'logger', 'memory', 'default', '1.0'), this.logger,
            new Descriptor('pip-services', 'counters', 'memory', 'default', '1.0'), this.counters,
            new Descriptor('pip-services', 'tracer', 'memory', 'default', '1.0'), this.tracer,
            ...more);
    }
}

import { IContext } from 'pip-services4-components-node';

import { CachedCounters, Counter, ITracer, LogLevel, TraceTiming } from '../src';

/** A log call as a destination logger received it. */
export interface LoggedCall {
    level: LogLevel;
    context: IContext;
    error: Error;
    message: string;
    args: any[];
}

/** A destination logger that records every `log` call (duck-typed: only `log` matters to CompositeLogger). */
export class RecordingLogger {
    public readonly calls: LoggedCall[] = [];

    public log(level: LogLevel, context: IContext, error: Error, message: string, ...args: any[]): void {
        this.calls.push({ level, context, error, message, args });
    }
}

/** Cached counters that remember what they saved. */
export class MemoryCounters extends CachedCounters {
    public readonly saved: Counter[][] = [];

    protected save(counters: Counter[]): void {
        this.saved.push(counters.map(c => ({ ...c }) as Counter));
    }
}

/** A trace as a destination tracer received it. */
export interface TracedCall {
    kind: 'trace' | 'failure';
    context: IContext;
    component: string;
    operation: string;
    error?: Error;
    duration: number;
}

/** A destination tracer that records every call. */
export class RecordingTracer implements ITracer {
    public readonly calls: TracedCall[] = [];

    public trace(context: IContext, component: string, operation: string, duration: number): void {
        this.calls.push({ kind: 'trace', context, component, operation, duration });
    }

    public failure(context: IContext, component: string, operation: string, error: Error, duration: number): void {
        this.calls.push({ kind: 'failure', context, component, operation, error, duration });
    }

    public beginTrace(context: IContext, component: string, operation: string): TraceTiming {
        return new TraceTiming(context, component, operation, this);
    }
}

/**
 * Runs `fn` while `new Date().getTime()` returns the given times in turn (the real package reads
 * the wall clock that way), then restores it.
 */
export function withWallClock<T>(times: number[], fn: () => T): T {
    const original = Date.prototype.getTime;
    const queue = [...times];
    Date.prototype.getTime = function (this: Date) {
        return queue.length > 0 ? queue.shift()! : original.call(this);
    };
    try {
        return fn();
    } finally {
        Date.prototype.getTime = original;
    }
}

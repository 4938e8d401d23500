// What the chaos workers report to the controller, and what the controller tells them. All times
// are epoch milliseconds from Date.now(): every process runs on the same machine, so one clock.

/** How every worker takes and uses its leases; the controller sends it to each worker process. */
export interface WorkerPlan {
    /** Host and port of the Redis under test (the lock). */
    lock: { host: string; port: number };
    /** Host and port of the fenced resource (a second Redis that is never faulted). */
    resource: { host: string; port: number };
    /** Workers (concurrent loops) in this process. */
    workers: number;
    /** Lease TTL in ms. */
    ttl: number;
    /** How long an acquire may wait, in ms. */
    acquireTimeout: number;
    /** `options.command_timeout` of the lock, in ms. */
    commandTimeout: number;
    /** Pause between the two writes of a critical section, in ms. */
    holdMs: number;
    /** Longest random pause between two critical sections of a worker, in ms. */
    thinkMs: number;
    /** The keys to contend on at first. */
    keys: string[];
}

/** A lease granted to a worker. */
export interface AcquiredEvent {
    type: 'acquired';
    worker: string;
    key: string;
    token: string;
    fence: number;
    /** When the successful acquire attempt was sent (lease.expiresAt − ttl at grant). */
    requestedAt: number;
    /** When acquire() resolved. */
    acquiredAt: number;
}

/** A lease's signal aborted. */
export interface LostEvent {
    type: 'lost';
    worker: string;
    key: string;
    token: string;
    at: number;
    /** `details.reason` of the LOCK_LOST exception, or its code when that is missing. */
    reason: string;
}

/** A worker checked its lease before a write and did not write: the lease said it was gone. */
export interface SkippedEvent {
    type: 'skipped';
    worker: string;
    key: string;
    token: string;
    step: number;
    at: number;
    held: boolean;
    aborted: boolean;
}

/** A lease's release() settled. */
export interface ReleasedEvent {
    type: 'released';
    worker: string;
    key: string;
    token: string;
    at: number;
    /** What release() returned: true when the lease still held the lock; null when it threw. */
    stillHeld: boolean | null;
    /** Whether the signal had aborted before the release. */
    aborted: boolean;
    /** The error code when release() threw. */
    code?: string;
}

/** An operation failed. */
export interface ErrorEvent {
    type: 'error';
    worker: string;
    op: 'acquire' | 'release' | 'write';
    key: string;
    code: string;
    /** The first line of the message, for errors other than the expected outage codes. */
    message?: string;
    at: number;
}

/** An unhandled rejection or uncaught exception in a worker process. */
export interface EscapedEvent {
    type: 'unhandled' | 'uncaught';
    pid: number;
    at: number;
    text: string;
}

/** Any event a worker records. */
export type WorkerEvent = AcquiredEvent | LostEvent | SkippedEvent | ReleasedEvent | ErrorEvent | EscapedEvent;

/** What one worker loop is doing, for hang detection. */
export interface WorkerActivity {
    worker: string;
    op: 'acquire' | 'write' | 'hold' | 'release' | 'think' | 'idle';
    since: number;
}

/** Messages from a worker process to the controller. */
export type WorkerMessage =
    | { type: 'ready'; pid: number }
    | { type: 'failed'; pid: number; text: string }
    | { type: 'beat'; pid: number; at: number; events: WorkerEvent[]; activity: WorkerActivity[] }
    | { type: 'holding'; pid: number; worker: string; key: string; token: string; fence: number; expiresAt: number; at: number }
    | { type: 'done'; pid: number; events: WorkerEvent[] };

/** Messages from the controller to a worker process. */
export type ControllerMessage =
    | { type: 'plan'; plan: WorkerPlan; index: number }
    | { type: 'start' }
    | { type: 'keys'; keys: string[] }
    | { type: 'freeze-next'; holdMs: number | null }
    | { type: 'stop' };

/** One write attempt as the fenced resource recorded it. */
export interface ResourceAttempt {
    /** Position in the resource's history: the order the resource executed the attempts in. */
    seq: number;
    /** The resource server's time when it executed the attempt, in microseconds. */
    serverTime: number;
    key: string;
    token: string;
    fence: number;
    worker: string;
    step: number;
    /** lease.held right before the write (the worker only writes when it is true). */
    held: boolean;
    /** lease.signal.aborted right before the write. */
    aborted: boolean;
    /** When the worker checked its lease, right before sending the write. */
    checkedAt: number;
    /** lease.expiresAt at that check. */
    expiresAt: number;
    accepted: boolean;
}

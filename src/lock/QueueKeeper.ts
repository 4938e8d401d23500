/** @module lock */
import { LockKeys } from './LockKeys';
import { TouchResult } from './scripts';
import { Timer, Timers } from './Timers';

/** One of the component's queued waiters, as the keeper sees it. */
export interface KeptWaiter {
    /** Its token, as queued in Redis. */
    readonly token: string;
    /**
     * True when its last attempt found it first in line: it then sleeps until the holder's TTL runs
     * out, and needs no wake-up for being first.
     */
    first: boolean;
    /**
     * When (epoch ms, and monotonic ms) the last request was sent that found its token still queued:
     * a release can have handed it the lock only after that.
     */
    queuedAt: number;
    queuedAtMonotonic: number;
    /** Makes it attempt at once. */
    wake(): void;
}

/** Refreshes the deadlines of a component's waiting tokens on one lock (the touch script). */
export type TouchStep = (keys: LockKeys, tokens: string[]) => Promise<TouchResult>;

interface KeptLock {
    keys: LockKeys;
    waiters: Map<string, KeptWaiter>;
    timer: Timer | null;
}

/**
 * Keeps a component's queued waiters in their places, so that waiting costs Redis the same
 * whatever `retry_timeout` is: every `period` ms, one touch per lock with waiters here refreshes
 * all their queue deadlines in one round trip (the acquire script is not re-run to stay in line),
 * and wakes those that must attempt now: a waiter that lost its place (its deadline passed, as
 * after a long outage or a blocked event loop) and a waiter that became first in line without
 * hearing it (a lost wake-up, or a release by a client that publishes none). Waiters otherwise
 * sleep until the release message, or, when first in line, until the holder's TTL runs out.
 */
export class QueueKeeper {
    private readonly _touch: TouchStep;
    private readonly _period: number;
    private readonly _locks = new Map<string, KeptLock>();

    /**
     * @param touch     the touch step, bound to the component's connection.
     * @param period    ms between two touches of one lock (the queue deadlines must outlast it).
     */
    public constructor(touch: TouchStep, period: number) {
        this._touch = touch;
        this._period = period;
    }

    /**
     * Starts keeping a waiter that is queued on a lock.
     *
     * @param keys      the lock's keys.
     * @param waiter    the waiter.
     * @returns stops keeping it; call when it stops waiting.
     */
    public keep(keys: LockKeys, waiter: KeptWaiter): () => void {
        let lock = this._locks.get(keys.queue);
        if (lock == null) {
            lock = { keys, waiters: new Map(), timer: null };
            this._locks.set(keys.queue, lock);
            this.schedule(lock);
        }
        lock.waiters.set(waiter.token, waiter);
        const kept = lock;
        return () => {
            if (kept.waiters.get(waiter.token) !== waiter) return;
            kept.waiters.delete(waiter.token);
            if (kept.waiters.size > 0) return;
            kept.timer?.cancel();
            if (this._locks.get(keys.queue) === kept) this._locks.delete(keys.queue);
        };
    }

    /** Stops every touch. */
    public close(): void {
        for (const lock of this._locks.values()) lock.timer?.cancel();
        this._locks.clear();
    }

    private schedule(lock: KeptLock): void {
        lock.timer = Timers.after(this._period, () => {
            lock.timer = null;
            void this.touchLock(lock);
        });
    }

    private async touchLock(lock: KeptLock): Promise<void> {
        const tokens = [...lock.waiters.keys()];
        if (tokens.length == 0) return;
        const sentAt = Date.now();
        const sentAtMonotonic = Timers.now();
        let result: TouchResult | null = null;
        try {
            result = await this._touch(lock.keys, tokens);
        } catch {
            // An outage: the waiters ride it out on their own attempts; the next touch tries again.
        }
        if (this._locks.get(lock.keys.queue) !== lock) return;
        this.schedule(lock);
        if (result == null) return;
        const missing = new Set(result.missing);
        const touched = new Set(tokens);
        for (const waiter of lock.waiters.values()) {
            // A waiter that joined while the touch was under way was not refreshed by it.
            if (!touched.has(waiter.token)) continue;
            if (missing.has(waiter.token)) {
                waiter.wake();
                continue;
            }
            if (sentAtMonotonic > waiter.queuedAtMonotonic) {
                waiter.queuedAt = sentAt;
                waiter.queuedAtMonotonic = sentAtMonotonic;
            }
            if (result.head === waiter.token && (!waiter.first || result.pttl < 0)) waiter.wake();
        }
    }
}

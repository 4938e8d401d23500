/** @module lock */
import { performance } from 'perf_hooks';

/** A scheduled callback that can be cancelled. */
export interface Timer {
    /** Cancels the callback if it has not run yet. */
    cancel(): void;
}

/**
 * Time for leases and waits: a monotonic clock (wall-clock steps never shorten or stretch a lease)
 * and timers that follow any delay. Node's setTimeout fires at once for delays of 2^31 ms or more
 * (with a TimeoutOverflowWarning), so longer delays are armed in chunks; and a callback never runs
 * before its deadline on the monotonic clock.
 */
export class Timers {
    // The largest delay setTimeout honours (about 24.8 days).
    private static readonly _maxDelay = 2 ** 31 - 1;

    /**
     * Milliseconds on a monotonic clock with an arbitrary origin; only differences mean anything.
     *
     * @returns the current monotonic time in ms.
     */
    public static now(): number {
        return performance.now();
    }

    /**
     * Runs a callback after a delay.
     *
     * @param delay     the delay in ms; negative or NaN runs it on the next timer tick.
     * @param callback  what to run.
     * @param keepAlive (optional) true when the pending timer should keep the process alive, as for a
     *                  caller awaiting a wait; lease timers are unref'd (default: false).
     * @returns a handle to cancel it.
     */
    public static after(delay: number, callback: () => void, keepAlive = false): Timer {
        const due = Timers.now() + (delay > 0 ? delay : 0);
        let handle: NodeJS.Timeout | null = null;
        // Node timers count whole milliseconds on a cached loop clock, so they can fire up to a
        // millisecond before a fractional deadline, and at once past 2^31 ms: never run early.
        const arm = () => {
            const left = Math.ceil(due - Timers.now());
            handle = setTimeout(fire, Math.min(Math.max(0, left), Timers._maxDelay));
            if (!keepAlive) handle.unref();
        };
        const fire = () => {
            if (Timers.now() < due) {
                arm();
                return;
            }
            handle = null;
            callback();
        };
        arm();
        return {
            cancel: () => {
                if (handle != null) clearTimeout(handle);
                handle = null;
            }
        };
    }

    /**
     * Resolves after a delay, or at once when the signal aborts (it never rejects). The pending
     * pause keeps the process alive, as the caller awaiting it expects.
     *
     * @param delay     the delay in ms.
     * @param signal    (optional) ends the pause early.
     */
    public static pause(delay: number, signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) return Promise.resolve();
        return new Promise<void>(resolve => {
            const onAbort = () => { timer.cancel(); resolve(); };
            const timer = Timers.after(delay, () => {
                signal?.removeEventListener('abort', onAbort);
                resolve();
            }, true);
            signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
}

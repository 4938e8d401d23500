/** @module lock */

/** Why a wait ended. */
export type WaitOutcome = 'woken' | 'timer' | 'aborted';

/**
 * One waiter's registration with a [[ReleaseNotifier]], as a waiting acquire sees it: it wakes when
 * the lock passes to its token's turn, or when its timer runs out.
 */
export interface ReleaseWaiter {
    /** The channel it listens on. */
    readonly channel: string;
    /** The token it waits for. */
    readonly token: string;
    /** Resolves true once the channel is subscribed, false when pub/sub is unavailable. */
    readonly subscription: Promise<boolean>;
    /** True when the channel was already subscribed at registration: no wake-up can have been missed. */
    readonly wasListening: boolean;
    /**
     * The fence of a lock a release handed straight to this waiter (its token then holds the lock
     * for a short grant, to be confirmed), once; null when none was handed over since the last call.
     */
    takeGrant(): number | null;

    /**
     * Waits until woken, for at most `ms`, or until the signal aborts. A wake-up that came while
     * not waiting ends the next wait at once.
     *
     * @param ms        the longest wait, in milliseconds.
     * @param signal    (optional) cancels the wait.
     * @returns why the wait ended.
     */
    wait(ms: number, signal?: AbortSignal): Promise<WaitOutcome>;

    /**
     * Ends the current wait, or the next one if none is under way: for news of this waiter's turn
     * that came another way than its release message.
     */
    wake(): void;

    /** Stops waiting for good; the channel is unsubscribed when it was the last waiter on it. */
    dispose(): void;
}

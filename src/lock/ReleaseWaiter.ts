/** @module lock */
import type { ReleaseNotifier } from './ReleaseNotifier';
import { Timers } from './Timers';

/** Why a wait ended. */
export type WaitOutcome = 'woken' | 'timer' | 'aborted';

/**
 * One waiter's registration with a [[ReleaseNotifier]]: wakes when the lock passes to its token's
 * turn, or when its timer runs out.
 */
export class ReleaseWaiter {
    /** The channel it listens on. */
    public readonly channel: string;
    /** The token it waits for. */
    public readonly token: string;
    /** Resolves true once the channel is subscribed, false when pub/sub is unavailable. */
    public readonly subscription: Promise<boolean>;
    /** True when the channel was already subscribed at registration: no wake-up can have been missed. */
    public readonly wasListening: boolean;
    private readonly _notifier: ReleaseNotifier;
    private _woken = false;
    private _resolve: ((outcome: WaitOutcome) => void) | null = null;

    /** @internal */
    public constructor(notifier: ReleaseNotifier, channel: string, token: string, subscription: Promise<boolean>,
        wasListening: boolean) {
        this._notifier = notifier;
        this.wasListening = wasListening;
        this.channel = channel;
        this.token = token;
        this.subscription = subscription;
    }

    /**
     * Waits until woken, for at most `ms`, or until the signal aborts. A wake-up that came while
     * not waiting ends the next wait at once.
     *
     * @param ms        the longest wait, in milliseconds.
     * @param signal    (optional) cancels the wait.
     * @returns why the wait ended.
     */
    public wait(ms: number, signal?: AbortSignal): Promise<WaitOutcome> {
        if (signal?.aborted) return Promise.resolve('aborted');
        if (this._woken) {
            this._woken = false;
            return Promise.resolve('woken');
        }
        return new Promise<WaitOutcome>(resolve => {
            const finish = (outcome: WaitOutcome) => {
                timer.cancel();
                signal?.removeEventListener('abort', onAbort);
                this._resolve = null;
                this._woken = false;
                resolve(outcome);
            };
            const onAbort = () => finish('aborted');
            const timer = Timers.after(ms, () => finish('timer'), true);
            signal?.addEventListener('abort', onAbort, { once: true });
            this._resolve = finish;
        });
    }

    /** @internal Ends the current wait, or the next one if none is under way. */
    public wake(): void {
        if (this._resolve != null) this._resolve('woken');
        else this._woken = true;
    }

    /** Stops waiting for good; unsubscribes the channel when it was the last waiter on it. */
    public dispose(): void {
        this._notifier.unregister(this);
    }
}

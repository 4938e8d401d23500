/** @module lock */
import { RedisSubscriber } from '../connect/RedisClientFactory';
import { RedisConnection } from '../connect/RedisConnection';

import { ReleaseWaiter, WaitOutcome } from './ReleaseWaiter';
import { Timer, Timers } from './Timers';

interface ChannelState {
    waiters: Map<string, TokenWaiter>;
    // Resolves true once subscribed, false when pub/sub is unavailable.
    subscription: Promise<boolean>;
    // True once the subscription is confirmed.
    listening: boolean;
    // Set once the last waiter left: unsubscribes the channel unless a waiter comes back first.
    idle: Timer | null;
    // Set once the channel is being unsubscribed: resolves when it is.
    closing: Promise<void> | null;
}

/**
 * Wakes the waiters of a component when a lock is released, so they retry at once instead of
 * polling. One subscriber per component, opened on the first wait (a connection of its own on one
 * server; sharded subscriptions on a Redis Cluster, in the lock's shard); one channel per
 * lock key with local waiters: the component's inbox on that lock (see LockKeys.inbox), so it hears
 * only wake-ups for its own waiters. An inbox is unsubscribed a second after the last of its
 * waiters stopped waiting: a worker that releases and waits again on the same lock (every
 * contended loop) would otherwise unsubscribe and subscribe each time, and attempt once more
 * after each new subscription.
 *
 * A release publishes `token:fence` when it handed the lock to the first queued waiter, and other
 * steps publish a bare token to wake a waiter that should attempt; only that waiter wakes. A
 * message that arrives before its waiter registers is kept briefly, so it is not lost to that race.
 * When the subscriber cannot connect, waiters still retry on their timers (the lock's TTL and
 * `options.retry_timeout`): pub/sub only makes hand-off faster, never correct.
 */
export class ReleaseNotifier {
    // Wake-ups for tokens not (yet) registered here; bounded, oldest dropped first.
    private static readonly _earlyLimit = 256;
    // How long an inbox nobody waits on stays subscribed.
    private static readonly _lingerMs = 1000;

    private readonly _connection: RedisConnection;
    private readonly _channels = new Map<string, ChannelState>();
    // token -> fence of a hand-over (null for a bare wake-up).
    private readonly _early = new Map<string, number | null>();
    private readonly _listener = (message: string, channel: string) => this.onMessage(channel, message);
    private _client: Promise<RedisSubscriber | null> | null = null;
    private _closed = false;

    /**
     * Creates a notifier on a connection; the subscriber client is opened on first use.
     *
     * @param connection    the component's connection, opened before any wait.
     */
    public constructor(connection: RedisConnection) {
        this._connection = connection;
    }

    /**
     * Registers a waiter for a token on a channel. Synchronous: on a channel already listened to,
     * no wake-up for the token can be missed, even one that arrived just before this call; on a new
     * channel, wake-ups published before the subscription took effect are lost, so the caller
     * should attempt once more after `subscription` resolves (see `ReleaseWaiter.wasListening`).
     *
     * @param channel   the lock's release channel.
     * @param token     the waiter's token, as queued in Redis.
     * @returns the waiter; dispose it when done waiting.
     */
    public register(channel: string, token: string): ReleaseWaiter {
        let state = this._channels.get(channel);
        if (state?.idle != null) {
            state.idle.cancel();
            state.idle = null;
        }
        if (state == null || state.closing != null) {
            // A channel being unsubscribed is subscribed again only after the UNSUBSCRIBE completed,
            // so the two never cross on the wire.
            const after = state?.closing ?? Promise.resolve();
            const created: ChannelState = { waiters: new Map(), subscription: null as any, listening: false, idle: null, closing: null };
            created.subscription = after.then(() => this.subscribe(channel)).then(subscribed => created.listening = subscribed);
            state = created;
            this._channels.set(channel, state);
        }
        const waiter = new TokenWaiter(channel, token, state.subscription, state.listening, w => this.unregister(w));
        state.waiters.set(token, waiter);
        if (this._early.has(token)) {
            waiter.wake(this._early.get(token));
            this._early.delete(token);
        }
        return waiter;
    }

    /**
     * Closes the subscriber connection and wakes every waiter, so pending acquires notice the
     * component closed instead of sleeping until their timers.
     */
    public async close(): Promise<void> {
        this._closed = true;
        for (const state of this._channels.values()) {
            state.idle?.cancel();
            for (const waiter of state.waiters.values()) waiter.wake();
        }
        this._channels.clear();
        this._early.clear();
        const subscriber = await this._client?.catch(() => null);
        this._client = null;
        if (subscriber != null) await subscriber.close();
    }

    // A waiter stopped waiting: forget it, and unsubscribe its channel a while after it was the last one.
    private unregister(waiter: TokenWaiter): void {
        const state = this._channels.get(waiter.channel);
        if (state == null || state.waiters.get(waiter.token) !== waiter) return;
        state.waiters.delete(waiter.token);
        if (state.waiters.size > 0 || state.closing != null || this._closed) return;
        state.idle = Timers.after(ReleaseNotifier._lingerMs, () => {
            state.idle = null;
            state.closing = state.subscription
                .then(subscribed => subscribed ? this._client?.then(c => c?.unsubscribe(waiter.channel, this._listener)) : undefined)
                .catch(() => undefined)
                .then(() => {
                    if (this._channels.get(waiter.channel) === state) this._channels.delete(waiter.channel);
                });
        });
    }

    private async subscribe(channel: string): Promise<boolean> {
        try {
            const subscriber = await this.subscriber();
            if (subscriber == null) return false;
            await subscriber.subscribe(channel, this._listener);
            return true;
        } catch {
            return false;
        }
    }

    private subscriber(): Promise<RedisSubscriber | null> {
        if (this._closed) return Promise.resolve(null);
        this._client ??= this._connection.openSubscriber(null).catch(() => {
            // Try again on the next wait; until then waiters fall back to their timers.
            this._client = null;
            return null;
        });
        return this._client;
    }

    private onMessage(channel: string, message: string): void {
        const separator = message.lastIndexOf(':');
        const token = separator < 0 ? message : message.slice(0, separator);
        const fence = separator < 0 ? null : Number(message.slice(separator + 1));
        const waiter = this._channels.get(channel)?.waiters.get(token);
        if (waiter != null) {
            waiter.wake(fence);
            return;
        }
        this._early.set(token, fence);
        if (this._early.size > ReleaseNotifier._earlyLimit) {
            this._early.delete(this._early.keys().next().value as string);
        }
    }
}

/** The notifier's side of a waiter: what [[ReleaseWaiter]] shows, plus the wake-up. */
class TokenWaiter implements ReleaseWaiter {
    public readonly channel: string;
    public readonly token: string;
    public readonly subscription: Promise<boolean>;
    public readonly wasListening: boolean;
    private _grantedFence: number | null = null;
    private readonly _onDispose: (waiter: TokenWaiter) => void;
    private _woken = false;
    private _resolve: ((outcome: WaitOutcome) => void) | null = null;

    public constructor(channel: string, token: string, subscription: Promise<boolean>, wasListening: boolean,
        onDispose: (waiter: TokenWaiter) => void) {
        this.channel = channel;
        this.token = token;
        this.subscription = subscription;
        this.wasListening = wasListening;
        this._onDispose = onDispose;
    }

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

    /**
     * Ends the current wait, or the next one if none is under way.
     *
     * @param grantedFence  (optional) the fence when a release handed the lock to this waiter.
     */
    public wake(grantedFence: number | null = null): void {
        if (grantedFence != null && Number.isSafeInteger(grantedFence) && grantedFence > 0) this._grantedFence = grantedFence;
        if (this._resolve != null) this._resolve('woken');
        else this._woken = true;
    }

    public takeGrant(): number | null {
        const fence = this._grantedFence;
        this._grantedFence = null;
        return fence;
    }

    public dispose(): void {
        this._onDispose(this);
    }
}

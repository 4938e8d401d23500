/** @module lock */
import { ApplicationException, ConflictException } from 'pip-services4-commons-node';

import { RedisArguments } from '../connect/RedisArguments';
import { Timer, Timers } from './Timers';

/** Why a lease was lost; the `reason` detail of a `LOCK_LOST` exception. */
export type LeaseLossReason = 'expired' | 'not_held' | 'renewal_failed' | 'max_hold';

/** The Redis operations a lease needs from the lock that granted it. @internal */
export interface LeaseOwner {
    /** Compare-and-PEXPIRE: true while the token still holds the lock. */
    extend(token: string, ttl: number): Promise<boolean>;
    /** Compare-and-delete: true when the token held the lock. */
    release(token: string): Promise<boolean>;
    /** Called once when the lease ends: released (no reason), or lost (the reason). */
    ended(lease: LockLease, lost?: LeaseLossReason): void;
}

/** When Redis granted a lock: the time before the request that took it was sent, on both clocks. @internal */
export interface LeaseGrant {
    /** This acquisition's token. */
    token: string;
    /** The fencing token. */
    fence: number;
    /** Wall-clock time (epoch ms) before the request was sent. */
    requestedAt: number;
    /** Monotonic time ([[Timers.now]]) before the request was sent. */
    requestedAtMonotonic: number;
    /**
     * Set when a release handed the lock over: Redis holds it for the token at least this many ms
     * from `requestedAt` on (a time before the hand-over), until the lease confirms it with an
     * extend to its TTL.
     */
    grantedFor?: number;
}

/** How a lease keeps itself alive. @internal */
export interface LeaseRenewal {
    /** Renew automatically every ttl/3 while held. */
    watchdog: boolean;
    /** Cap on the total hold time in ms, from the acquire; 0 for none. */
    maxHold: number;
}

/**
 * A held lock: the handle [[RedisLock.acquire]] returns.
 *
 * - `fence` is the lock's fencing token: it strictly increases with every acquisition of the same
 *   key, across all holders and processes, also when Redis restarted without its data (see the
 *   README's Guarantees). Pass it to the resource you protect and have the resource refuse any
 *   request whose fence is lower than the highest it has seen: a holder that was paused past its
 *   TTL (GC, swap, network) then cannot overwrite a newer holder's work.
 * - `expiresAt` is when the lock expires in Redis at the latest, computed from the time before the
 *   acquire (or extend) request was sent, so the lease never believes it holds longer than Redis does.
 * - `held` is false once the lease was released or lost, and also as soon as its expiry has passed
 *   on a monotonic clock, even when the event loop was blocked or the process paused so that no
 *   timer could run: check it (or `signal.aborted`) right before each side effect.
 * - `signal` aborts when the lease is lost: its TTL ran out, Redis says another token holds it,
 *   renewals failed until expiry, or `max_hold` was reached. Its `reason` is a ConflictException
 *   with code `LOCK_LOST` and details `key` and `reason` (a [[LeaseLossReason]]); a renewal failure
 *   keeps the Redis error as its cause. Releasing does not abort it.
 * - With the watchdog, the lease extends itself every ttl/3 (an unref'd timer, never two renewals
 *   at once); a renewal that fails with a Redis error is retried until the lease's own expiry.
 *   Nothing here ever produces an unhandled rejection. TTLs beyond the range of Node timers
 *   (2^31 ms) are followed in steps.
 *
 * @example
 * ```typescript
 * const lease = await lock.acquire(ctx, "orders:42", { ttl: 10000, watchdog: true });
 * try {
 *   if (!lease.held) throw lease.signal.reason;
 *   await storage.write(order, { fence: lease.fence, signal: lease.signal });
 * } finally {
 *   await lease.release();
 * }
 * ```
 */
export class LockLease {
    /** The lock key. */
    public readonly key: string;
    /** This acquisition's token (the value stored in the lock key). */
    public readonly token: string;
    /** The fencing token: strictly increasing per key across all holders. */
    public readonly fence: number;

    private readonly _owner: LeaseOwner;
    private readonly _traceId: string;
    private readonly _ttl: number;
    // Monotonic deadlines (Timers.now()).
    private readonly _holdUntil: number;
    private _expiresAtMonotonic: number;
    private readonly _controller = new AbortController();
    private _expiresAt: number;
    private _ended = false;
    private _released = false;
    private _expiryTimer: Timer | null = null;
    private _renewTimer: Timer | null = null;
    private _renewalError: any = null;
    private _lastRenewal = false;
    // How long after a hand-over a lease confirms it (extends it to its TTL) if still held.
    private static readonly _confirmDelay = 100;

    /**
     * A lease on a lock Redis has granted.
     *
     * @internal Used by RedisLock only; not part of the published typings.
     */
    public static granted(owner: LeaseOwner, traceId: string, key: string, grant: LeaseGrant, ttl: number,
        renewal: LeaseRenewal): LockLease {
        return new LockLease(owner, traceId, key, grant, ttl, renewal);
    }

    // Leases come from RedisLock.acquire only.
    private constructor(owner: LeaseOwner, traceId: string, key: string, grant: LeaseGrant, ttl: number,
        renewal: LeaseRenewal) {
        this._owner = owner;
        this._traceId = traceId;
        this.key = key;
        this.token = grant.token;
        this.fence = grant.fence;
        this._ttl = ttl;
        this._holdUntil = renewal.maxHold > 0 ? grant.requestedAtMonotonic + renewal.maxHold : Infinity;
        this.expireAfter(grant.requestedAt, grant.requestedAtMonotonic, grant.grantedFor ?? ttl);
        if (grant.grantedFor != null) {
            // A lease released within the delay (a short critical section) never needs the confirm.
            this._renewTimer = Timers.after(Math.min(LockLease._confirmDelay, grant.grantedFor / 4), () => {
                this._renewTimer = null;
                if (renewal.watchdog) this.scheduleRenewal(ttl / 3);
                this.confirm(ttl);
            });
        } else if (renewal.watchdog) {
            this.scheduleRenewal(ttl / 3);
        }
    }

    /** When the lock expires in Redis at the latest (epoch ms). */
    public get expiresAt(): number {
        return this._expiresAt;
    }

    /** Aborts when the lease is lost; see the class description. */
    public get signal(): AbortSignal {
        return this._controller.signal;
    }

    /**
     * True until the lease is released, lost, or past its expiry on a monotonic clock (also when no
     * timer has run since: a blocked event loop or a paused process cannot make it lie).
     */
    public get held(): boolean {
        return !this._ended && Timers.now() < this._expiresAtMonotonic;
    }

    /**
     * Extends the lease: the lock expires `ttl` ms after this request is sent. One round trip.
     *
     * @param ttl   (optional) the new time to live: a positive integer number of ms; the lease's ttl by default.
     * @throws BadRequestException INVALID_TTL for a bad ttl (nothing is sent); ConflictException
     *         LOCK_NOT_HELD when the lease was released or lost (the lease is then marked lost);
     *         ConnectionException when Redis is unreachable (the lease stays as it was).
     */
    public async extend(ttl: number = this._ttl): Promise<void> {
        RedisArguments.checkTtl(this._traceId, ttl);
        if (this._ended) throw this.notHeld();
        const requestedAt = Date.now();
        const requestedAtMonotonic = Timers.now();
        const extended = await this._owner.extend(this.token, ttl);
        if (this._ended) throw this.notHeld();
        if (!extended) {
            this.lose('not_held');
            throw this.notHeld();
        }
        this.expireAfter(requestedAt, requestedAtMonotonic, ttl);
    }

    /**
     * Releases the lock (compare-and-delete by this lease's token; waiters are woken). Also after the
     * lease was lost: Redis may still hold the lock for this token (its TTL runs a little past the
     * lease's conservative expiry, or Redis lost track of time during an outage), and releasing
     * frees the key for the next waiter at once. Releasing twice does nothing.
     *
     * @returns true when Redis still held the lock for this token; false when it had expired or was
     *          taken over, or the lease was already released.
     * @throws ConnectionException when Redis is unreachable: the release is then tried again once
     *         Redis answers, and the lock expires at its TTL anyway.
     */
    public async release(): Promise<boolean> {
        if (this._released) return false;
        this._released = true;
        if (!this._ended) this.end();
        return this._owner.release(this.token);
    }

    /**
     * Releases the lease when an `await using` block ends, however it ends:
     * `await using lease = await lock.acquire(ctx, key);`. Never throws: a release that fails
     * because Redis is unreachable is tried again once Redis answers, and the lock expires at its
     * TTL anyway, so the block's own error (or result) is what the caller sees.
     */
    public async [Symbol.asyncDispose](): Promise<void> {
        await this.release().catch(() => false);
    }

    /**
     * What JSON shows of a lease: its key, fence, expiry and whether it is held (not its token).
     *
     * @returns a plain object.
     */
    public toJSON(): { key: string, fence: number, expiresAt: number, held: boolean } {
        return { key: this.key, fence: this.fence, expiresAt: this._expiresAt, held: this.held };
    }

    private notHeld(): ApplicationException {
        return new ConflictException(this._traceId, 'LOCK_NOT_HELD', 'Lock ' + this.key + ' is not held by this lease')
            .withDetails('key', this.key);
    }

    private end(lost?: LeaseLossReason): void {
        this._ended = true;
        this._expiryTimer?.cancel();
        this._renewTimer?.cancel();
        this._expiryTimer = this._renewTimer = null;
        this._owner.ended(this, lost);
    }

    private lose(reason: LeaseLossReason, cause?: any): void {
        if (this._ended) return;
        this.end(reason);
        let error = new ConflictException(this._traceId, 'LOCK_LOST', 'Lock ' + this.key + ' was lost: ' + reason)
            .withDetails('key', this.key).withDetails('reason', reason);
        if (cause != null) error = error.withCause(cause);
        this._controller.abort(error);
    }

    // The lock expires `ttl` ms after the request that set it was sent (on both clocks).
    private expireAfter(requestedAt: number, requestedAtMonotonic: number, ttl: number): void {
        this._expiresAt = requestedAt + ttl;
        this._expiresAtMonotonic = requestedAtMonotonic + ttl;
        this._expiryTimer?.cancel();
        this._expiryTimer = Timers.after(this._expiresAtMonotonic - Timers.now(), () => {
            const reason: LeaseLossReason = this._lastRenewal ? 'max_hold'
                : this._renewalError != null ? 'renewal_failed' : 'expired';
            this.lose(reason, this._renewalError);
        });
    }

    // Confirms a lock a release handed over (it is held for a short grant until then): extends it
    // to the lease's TTL. A failure to reach Redis leaves the grant's expiry to signal the loss.
    // Released or lost meanwhile, there is nothing to confirm.
    private confirm(ttl: number): void {
        if (this._ended) return;
        const requestedAt = Date.now();
        const requestedAtMonotonic = Timers.now();
        const confirmed = Math.ceil(Math.min(ttl, this._holdUntil - requestedAtMonotonic));
        if (confirmed <= 0) {
            this._lastRenewal = true;   // max_hold reached: let the grant run out
            return;
        }
        this._owner.extend(this.token, confirmed).then(extended => {
            if (this._ended) return;
            if (!extended) this.lose('not_held');
            else if (requestedAtMonotonic + confirmed > this._expiresAtMonotonic) this.expireAfter(requestedAt, requestedAtMonotonic, confirmed);
        }, err => {
            if (!this._ended) this._renewalError = err;
        });
    }

    private scheduleRenewal(delay: number): void {
        this._renewTimer = Timers.after(Math.max(1, delay), () => { this.renew().catch(() => undefined); });
    }

    private async renew(): Promise<void> {
        this._renewTimer = null;
        if (this._ended) return;
        const requestedAt = Date.now();
        const requestedAtMonotonic = Timers.now();
        const ttl = Math.min(this._ttl, this._holdUntil - requestedAtMonotonic);
        if (ttl <= 0) {
            this._lastRenewal = true;   // max_hold reached: let the current TTL run out
            return;
        }
        let extended: boolean;
        try {
            extended = await this._owner.extend(this.token, Math.ceil(ttl));
        } catch (err) {
            if (this._ended) return;
            this._renewalError = err;
            // Retry sooner than usual while the lease is still valid; the expiry timer signals the loss.
            const left = this._expiresAtMonotonic - Timers.now();
            if (left > 0) this.scheduleRenewal(Math.min(this._ttl / 3, Math.max(left / 3, 10)));
            return;
        }
        if (this._ended) return;
        if (!extended) {
            this.lose('not_held');
            return;
        }
        this._renewalError = null;
        this.expireAfter(requestedAt, requestedAtMonotonic, Math.ceil(ttl));
        if (requestedAtMonotonic + ttl >= this._holdUntil) this._lastRenewal = true;
        else this.scheduleRenewal(this._ttl / 3);
    }
}

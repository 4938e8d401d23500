/** @module lock */
import { randomBytes } from 'crypto';
import { ConflictException } from 'pip-services4-commons-node';
import {
    ConfigParams,
    IConfigurable,
    IContext,
    IOpenable,
    IReferenceable,
    IReferences
} from 'pip-services4-components-node';
import { Lock } from 'pip-services4-logic-node';

import { RedisArguments } from '../connect/RedisArguments';
import { RedisConnection } from '../connect/RedisConnection';
import { TraceId } from '../connect/TraceId';
import { LockKeys } from './LockKeys';
import { LeaseOwner, LockLease } from './LockLease';
import { ReleaseNotifier } from './ReleaseNotifier';
import {
    acquire, AcquireCommands, AcquireResult, extend, ExtendCommands, leave, LeaveCommands,
    LOCK_SCRIPTS, release, ReleaseCommands
} from './scripts';

type LockCommands = AcquireCommands & ReleaseCommands & ExtendCommands & LeaveCommands;

/** An acquisition this component holds through the ILock-style API (or a lease, for releaseLock). */
interface HeldLock {
    token: string;
    expiresAt: number;
    lease?: LockLease;
}

/** Options of one [[RedisLock.acquire]] or [[RedisLock.withLock]] call; defaults come from `options.*`. */
export interface LockAcquireOptions {
    /** Time to live of the lock in ms (default: `options.lock_ttl`). */
    ttl?: number;
    /** How long to wait for a busy lock in ms (default: `options.acquire_timeout`). */
    timeout?: number;
    /** Cancels a waiting acquire: it then rejects with the signal's reason. */
    signal?: AbortSignal;
    /** Renew the lease every ttl/3 while held (default: `options.watchdog`; withLock: true). */
    watchdog?: boolean;
    /** Cap on the total hold time in ms when the watchdog renews (default: `options.max_hold`; 0 = none). */
    maxHold?: number;
}

/**
 * Distributed lock backed by Redis.
 *
 * - Acquire: one round trip (a script around `SET key token NX PX ttl`), with a token unique to that
 *   acquisition and a fencing token from the same round trip. Lock keys are the caller's keys,
 *   verbatim, so instances of version 0.0.3 sharing the Redis still exclude these.
 * - Release: one round trip, an atomic compare-and-delete, so a component only ever deletes a
 *   lock it still holds, never the lock of whoever took the key over after a TTL ran out.
 * - Waiting: a waiter joins a first-come-first-served queue in Redis and sleeps until the release
 *   wakes it through pub/sub (one subscriber connection per component). It also retries when the
 *   holder's TTL runs out and after `options.retry_timeout` at the latest, so an expired holder or
 *   a lost message never stalls it. While waiters are queued, nobody else takes a free lock,
 *   including the holder that just released it.
 * - Leases: [[acquire]] returns a [[LockLease]] with `fence`, `expiresAt`, a loss `signal`,
 *   `extend()` and `release()`, optionally renewed by a watchdog; [[withLock]] runs a function under one.
 *
 * `acquireLock` keeps the ILock contract: it throws ConflictException `LOCK_TIMEOUT` (with the key
 * in the details) when the timeout passes.
 *
 * ### Configuration parameters ###
 * - connection(s):
 *   - discovery_key:  (optional) key to retrieve the connection from IDiscovery
 *   - host:           host name or IP address (default: localhost)
 *   - port:           port number (default: 6379)
 *   - uri:            `redis://[user[:password]@]host[:port][/database]`, or `rediss://` for TLS
 *   - protocol:       `redis` (default) or `rediss`
 *   - database:       database number (default: 0)
 * - credential(s):
 *   - store_key:      (optional) key to retrieve the credential from ICredentialStore
 *   - username:       ACL user name
 *   - password:       password
 * - options:
 *   - retry_timeout:        longest pause between a waiter's attempts, in ms (default: 100)
 *   - lock_ttl:             default time to live of [[acquire]], in ms (default: 30000)
 *   - acquire_timeout:      default wait of [[acquire]], in ms (default: 10000)
 *   - watchdog:             renew leases every ttl/3 by default (default: false; withLock: true)
 *   - max_hold:             cap on a renewed lease's total hold time, in ms (default: 0, none)
 *   - key_prefix:           (optional) prefix of every key, so several services can share one Redis
 *   - connect_timeout:      how long `open()` may wait for the server, in ms (default: 5000)
 *   - command_timeout:      how long a command may wait for its reply, in ms (default: 5000)
 *   - reconnect_max_delay:  cap of the backoff between reconnect attempts, in ms (default: 2000)
 *
 * Root-level `host`, `port`, `uri`, `username` and `password` are read when there is no
 * `connection(s)` / `credential(s)` section.
 *
 * ### References ###
 * - `*:discovery:*:*:1.0`         (optional) IDiscovery services to resolve the connection
 * - `*:credential-store:*:*:1.0`  (optional) credential stores to resolve the credential
 *
 * @example
 * ```typescript
 * const lock = new RedisLock();
 * lock.configure(ConfigParams.fromTuples(
 *   "host", "localhost",
 *   "port", 6379
 * ));
 * await lock.open("123");
 * await lock.acquire("123", "key1");
 * try {
 *   // Processing...
 * } finally {
 *   await lock.releaseLock("123", "key1");
 * }
 * await lock.close("123");
 * ```
 */
export class RedisLock extends Lock implements IConfigurable, IReferenceable, IOpenable {
    // Tokens of locks that ran out their TTL without a release are swept once the map grows past this.
    private static readonly _sweepThreshold = 10000;
    // How much longer than the longest pause between attempts a queued waiter stays in line.
    private static readonly _queueSlack = 500;
    private static readonly _defaultOptions = ConfigParams.fromTuples(
        'retry_timeout', 100,
        'lock_ttl', 30000,
        'acquire_timeout', 10000,
        'watchdog', false,
        'max_hold', 0
    );

    private readonly _connection = new RedisConnection(LOCK_SCRIPTS);
    private _notifier = new ReleaseNotifier(this._connection);
    private readonly _held = new Map<string, HeldLock>();
    private _retryInterval = 100;
    private _lockTtl = 30000;
    private _acquireTimeout = 10000;
    private _watchdog = false;
    private _maxHold = 0;

    /**
     * Configures the component.
     *
     * @param config    configuration parameters to be set.
     * @throws ConfigException INVALID_OPTION for a bad option value.
     */
    public configure(config: ConfigParams): void {
        super.configure(config);
        this._connection.configure(config);
        const options = config.getSection('options').setDefaults(RedisLock._defaultOptions);
        this._retryInterval = RedisConnection.readOption(options, 'retry_timeout', 1);
        this._lockTtl = RedisConnection.readOption(options, 'lock_ttl', 1);
        this._acquireTimeout = RedisConnection.readOption(options, 'acquire_timeout', 0);
        this._maxHold = RedisConnection.readOption(options, 'max_hold', 0);
        this._watchdog = options.getAsBooleanWithDefault('watchdog', false);
    }

    /**
     * Sets references to discovery services and credential stores.
     *
     * @param references    references to locate the component dependencies.
     */
    public setReferences(references: IReferences): void {
        this._connection.setReferences(references);
    }

    /**
     * Checks if the component is open.
     *
     * @returns true once `open()` has succeeded and until `close()`.
     */
    public isOpen(): boolean {
        return this._connection.isOpen();
    }

    /**
     * Opens the component: connects to Redis and waits until the server is ready.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @throws ConfigException when the connection is not configured; ConnectionException when the
     *         server cannot be reached, refuses the credentials or does not answer in time.
     */
    public async open(context: IContext | string | null): Promise<void> {
        if (this._connection.isOpen()) return;
        await this._connection.open(context);
        this._notifier = new ReleaseNotifier(this._connection);
    }

    /**
     * Closes the component. Locks it holds stay in Redis until their TTL runs out; waiting
     * acquires fail with NOT_OPENED.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     */
    public async close(context: IContext | string | null): Promise<void> {
        this._held.clear();
        // Close the connection first: waiters the notifier wakes then fail with NOT_OPENED instead of
        // acquiring a lock nobody would release.
        await this._connection.close(context);
        await this._notifier.close();
    }

    /**
     * Makes a single attempt to acquire a lock by its key. It fails when someone holds the lock,
     * and also when the lock is free but waiters are queued for it (they come first).
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param ttl       lock timeout (time to live) in milliseconds.
     * @returns true if the lock was acquired and false if someone holds it (this component included).
     * @throws BadRequestException for a bad key or ttl; InvalidStateException NOT_OPENED;
     *         ConnectionException when Redis is unreachable.
     */
    public async tryAcquireLock(context: IContext | string | null, key: string, ttl: number): Promise<boolean> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        const token = RedisLock.newToken();
        const requestedAt = Date.now();
        const result = await this.attempt(context, this.keysOf(key), token, ttl, 0);
        if (result.fence > 0) this.remember(key, { token, expiresAt: requestedAt + ttl });
        return result.fence > 0;
    }

    /**
     * Acquires a lock by its key, waiting for it to be released for at most `timeout` ms.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param ttl       lock timeout (time to live) in milliseconds.
     * @param timeout   how long to wait, in milliseconds (0: one attempt).
     * @throws ConflictException LOCK_TIMEOUT when the lock stayed busy; BadRequestException for bad
     *         arguments; InvalidStateException NOT_OPENED; ConnectionException when Redis is unreachable.
     */
    public async acquireLock(context: IContext | string | null, key: string, ttl: number, timeout: number): Promise<void> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        RedisArguments.checkTimeout(traceId, timeout);
        const granted = await this.waitFor(context, key, ttl, timeout);
        this.remember(key, { token: granted.token, expiresAt: granted.requestedAt + ttl });
    }

    /**
     * Extends a lock this component acquired through tryAcquireLock or acquireLock: it expires
     * `ttl` ms from now. One round trip (compare-and-PEXPIRE).
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       the lock key.
     * @param ttl       the new time to live in milliseconds.
     * @throws ConflictException LOCK_NOT_HELD when this component does not hold the lock (never
     *         acquired, released, or expired and taken by someone else); BadRequestException for bad
     *         arguments; InvalidStateException NOT_OPENED; ConnectionException when Redis is unreachable.
     */
    public async extendLock(context: IContext | string | null, key: string, ttl: number): Promise<void> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        if (!this.isOpen()) throw RedisConnection.notOpened(context);
        const held = this._held.get(key);
        if (held?.lease != null) return held.lease.extend(ttl);
        const requestedAt = Date.now();
        const extended = held != null && await this._connection.call<boolean, LockCommands>(context,
            client => extend(client, this.keysOf(key), held.token, ttl));
        if (!extended) {
            if (held != null && this._held.get(key) === held) this._held.delete(key);
            throw new ConflictException(traceId, 'LOCK_NOT_HELD', 'Lock ' + key + ' is not held by this component')
                .withDetails('key', key);
        }
        held.expiresAt = requestedAt + ttl;
    }

    /**
     * Releases a lock this component acquired (by any of its methods, leases included). Releasing
     * a lock it does not hold (never acquired, already released, or expired and taken by someone
     * else) does nothing and deletes nothing.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to release.
     * @throws BadRequestException for a bad key; InvalidStateException NOT_OPENED;
     *         ConnectionException when Redis is unreachable (the lock then stays held until
     *         released again or its TTL runs out).
     */
    public async releaseLock(context: IContext | string | null, key: string): Promise<void> {
        RedisArguments.checkKey(TraceId.of(context), key);
        if (!this.isOpen()) throw RedisConnection.notOpened(context);
        const held = this._held.get(key);
        if (held == null) return;
        if (held.lease != null) {
            await held.lease.release();
            return;
        }
        this._held.delete(key);
        try {
            await this._connection.call<boolean, LockCommands>(context,
                client => release(client, this.keysOf(key), held.token));
        } catch (err) {
            // Keep the token so the caller can retry the release, unless the key was acquired again meanwhile.
            if (!this._held.has(key)) this._held.set(key, held);
            throw err;
        }
    }

    /**
     * Acquires a lock and returns a lease on it, waiting while it is busy.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param options   (optional) ttl, timeout, AbortSignal, watchdog and max hold; defaults from `options.*`.
     * @returns the lease: fence, expiresAt, loss signal, extend() and release().
     * @throws ConflictException LOCK_TIMEOUT when the lock stayed busy; the signal's reason when
     *         aborted; BadRequestException for bad arguments; InvalidStateException NOT_OPENED;
     *         ConnectionException when Redis is unreachable.
     */
    public async acquire(context: IContext | string | null, key: string, options: LockAcquireOptions = {}): Promise<LockLease> {
        const traceId = TraceId.of(context);
        const ttl = options.ttl ?? this._lockTtl;
        const timeout = options.timeout ?? this._acquireTimeout;
        const maxHold = options.maxHold ?? this._maxHold;
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        RedisArguments.checkTimeout(traceId, timeout);
        RedisArguments.checkTimeout(traceId, maxHold);
        const granted = await this.waitFor(context, key, ttl, timeout, options.signal);
        const lease = new LockLease(this.leaseOwner(context, key), traceId, key, granted.token, granted.fence,
            ttl, granted.requestedAt, { watchdog: options.watchdog ?? this._watchdog, maxHold });
        this.remember(key, { token: granted.token, expiresAt: granted.requestedAt + ttl, lease });
        return lease;
    }

    /**
     * Runs a function while holding a lock: acquires a lease (renewed by the watchdog unless
     * `watchdog: false`), passes the function the lease's loss signal, and releases the lease
     * however the function ends. The function's own error is never replaced by a release error;
     * a release that fails leaves the lock to expire at its TTL.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param fn        the work; gets the lease's signal (aborted if the lock is lost) and the lease.
     * @param options   (optional) as for [[acquire]].
     * @returns what fn resolves to.
     */
    public async withLock<T>(context: IContext | string | null, key: string,
        fn: (signal: AbortSignal, lease: LockLease) => Promise<T>, options: LockAcquireOptions = {}): Promise<T> {
        const lease = await this.acquire(context, key, { watchdog: true, ...options });
        try {
            return await fn(lease.signal, lease);
        } finally {
            await lease.release().catch(() => false);
        }
    }

    private async waitFor(context: IContext | string | null, key: string, ttl: number, timeout: number,
        signal?: AbortSignal): Promise<{ token: string; fence: number; requestedAt: number }> {
        if (signal?.aborted) throw signal.reason;
        const keys = this.keysOf(key);
        const token = RedisLock.newToken();
        const deadline = Date.now() + timeout;
        const queueFor = timeout > 0 ? 2 * this._retryInterval + RedisLock._queueSlack : 0;
        let requestedAt = Date.now();
        let result = await this.attemptThroughOutage(context, keys, token, ttl, queueFor, deadline, signal);
        if (result.fence > 0) return { token, fence: result.fence, requestedAt };
        if (timeout <= 0) throw this.lockTimeout(context, key);

        const waiter = this._notifier.register(keys.channel, token);
        try {
            // A wake-up published before a new subscription took effect would be lost: look once more.
            await waiter.subscription;
            for (let first = !waiter.wasListening; ; first = false) {
                if (!first) {
                    const left = deadline - Date.now();
                    if (left <= 0) throw this.lockTimeout(context, key);
                    const pause = Math.min(this._retryInterval, left, result.pttl > 0 ? result.pttl + 1 : Infinity);
                    if (await waiter.wait(pause, signal) == 'aborted') throw signal!.reason;
                }
                requestedAt = Date.now();
                result = await this.attemptThroughOutage(context, keys, token, ttl, queueFor, deadline, signal);
                if (result.fence > 0) return { token, fence: result.fence, requestedAt };
            }
        } catch (err) {
            // A waiter that gives up leaves the queue, so it does not hold up the ones behind it.
            if (this._connection.isOpen() && (err === signal?.reason || (err as any)?.code == 'LOCK_TIMEOUT')) {
                await this._connection.call<boolean, LockCommands>(context, client => leave(client, keys, token))
                    .catch(() => false);
            }
            throw err;
        } finally {
            waiter.dispose();
        }
    }

    /**
     * An attempt that rides out a reconnect: while the client is offline (CONNECTION_LOST) it tries
     * again every `retry_timeout` until the deadline, then throws that ConnectionException, so a
     * caller can tell an outage from a busy lock (LOCK_TIMEOUT).
     */
    private async attemptThroughOutage(context: IContext | string | null, keys: LockKeys, token: string,
        ttl: number, queueFor: number, deadline: number, signal?: AbortSignal): Promise<AcquireResult> {
        for (;;) {
            try {
                return await this.attempt(context, keys, token, ttl, queueFor);
            } catch (err) {
                const pause = Math.min(this._retryInterval, deadline - Date.now());
                if ((err as any)?.code != 'CONNECTION_LOST' || pause <= 0 || !this.isOpen()) throw err;
                await new Promise(resolve => setTimeout(resolve, pause));
                if (signal?.aborted) throw signal.reason;
            }
        }
    }

    private attempt(context: IContext | string | null, keys: LockKeys, token: string, ttl: number,
        queueFor: number): Promise<AcquireResult> {
        return this._connection.call<AcquireResult, LockCommands>(context,
            client => acquire(client, keys, token, ttl, queueFor));
    }

    private leaseOwner(context: IContext | string | null, key: string): LeaseOwner {
        const keys = this.keysOf(key);
        return {
            extend: (token, ttl) => this._connection.call<boolean, LockCommands>(context,
                client => extend(client, keys, token, ttl)),
            release: token => this._connection.call<boolean, LockCommands>(context,
                client => release(client, keys, token)),
            ended: lease => {
                if (this._held.get(key)?.lease === lease) this._held.delete(key);
            }
        };
    }

    private lockTimeout(context: IContext | string | null, key: string): ConflictException {
        return new ConflictException(TraceId.of(context), 'LOCK_TIMEOUT', 'Acquiring lock ' + key + ' failed on timeout')
            .withDetails('key', key);
    }

    private keysOf(key: string): LockKeys {
        return new LockKeys(key, this._connection.getKeyPrefix());
    }

    private remember(key: string, held: HeldLock): void {
        if (this._held.size >= RedisLock._sweepThreshold) {
            const now = Date.now();
            for (const [k, h] of this._held) {
                if (h.expiresAt < now && h.lease == null) this._held.delete(k);
            }
        }
        this._held.set(key, held);
    }

    private static newToken(): string {
        return randomBytes(16).toString('hex');
    }
}

/** @module lock */
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
import { CompositeCounters, CompositeLogger, CompositeTracer } from 'pip-services4-observability-node';

import { RedisArguments } from '../connect/RedisArguments';
import { RedisConnection } from '../connect/RedisConnection';
import { RedisErrors } from '../connect/RedisErrors';
import { RedisObservability } from '../connect/RedisObservability';
import { RedisOptions } from '../connect/RedisOptions';
import { TraceId } from '../connect/TraceId';
import { LockKeys } from './LockKeys';
import { LockTokens } from './LockTokens';
import { LeaseGrant, LeaseLossReason, LeaseOwner, LockLease } from './LockLease';
import { KeptWaiter, QueueKeeper } from './QueueKeeper';
import { ReleaseNotifier } from './ReleaseNotifier';
import { ReleaseWaiter } from './ReleaseWaiter';
import { Timer, Timers } from './Timers';
import {
    acquire, AcquireCommands, AcquireResult, claim, ClaimCommands, ClaimResult, extend, ExtendCommands, leave, LeaveCommands,
    LOCK_SCRIPTS, release, ReleaseCommands, ReleaseResult, touch, TouchCommands, TouchResult
} from './scripts';

type LockCommands = AcquireCommands & ClaimCommands & ReleaseCommands & ExtendCommands & LeaveCommands & TouchCommands;

/** An acquisition this component holds through the ILock-style API (or a lease, for releaseLock). */
interface HeldLock {
    token: string;
    expiresAt: number;
    // Monotonic time the winning acquire request was sent, for the hold time.
    acquiredAt: number;
    lease?: LockLease;
    // The pending confirm of a lock handed over to an ILock acquire; cancelled by its release.
    confirm?: Timer;
}

/** An attempt that found the lock busy, and when it was sent (the token was still queued after that). */
type BusyAttempt = AcquireResult & { requestedAt: number, requestedAtMonotonic: number };

/** One acquisition under way: its keys and token, and whether an outage hid an attempt's outcome. */
interface PendingAcquire {
    keys: LockKeys;
    token: string;
    // True when an attempt failed with an outage after it may have run: the token may hold the lock.
    uncertain: boolean;
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
 * - Acquire: one round trip, `SET key token NX PX ttl` with a token unique to that acquisition:
 *   for [[acquire]] inside a script that also hands out a fencing token; for the ILock methods,
 *   which need no fence, the bare command, sent with a look at the waiter queue. Lock keys are the
 *   caller's keys, verbatim, so instances of version 0.0.3 sharing the Redis still exclude these.
 * - Release: one round trip, an atomic compare-and-delete, so a component only ever deletes a
 *   lock it still holds, never the lock of whoever took the key over after a TTL ran out. With
 *   waiters queued it hands the lock straight to the first of them (a 1 s grant the waiter
 *   confirms by extending it), so the hand-off costs one message.
 * - Waiting: a waiter joins a first-come-first-served queue in Redis and sleeps until the release
 *   wakes it through pub/sub (one subscriber connection per component). The component keeps its
 *   waiters in line with one touch per lock every 500 ms, which also wakes a waiter whose wake-up
 *   was lost; the first in line also looks when the holder's TTL runs out. Without pub/sub waiters
 *   attempt every `options.retry_timeout`. While waiters are queued, nobody else takes a free lock,
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
 *   - uri:            `redis://[user[:password]@]host[:port][/database]` (user and password
 *                     percent-encoded), or `rediss://` for TLS
 *   - protocol:       `redis` (default) or `rediss`
 *   - database:       database number (default: 0)
 * - credential(s):
 *   - store_key:      (optional) key to retrieve the credential from ICredentialStore
 *   - username:       ACL user name
 *   - password:       password
 *   - ssl_ca_file:    (optional) PEM file of the CA certificate(s) to trust (TLS)
 *   - ssl_crt_file:   (optional) PEM file of the client certificate, for mutual TLS
 *   - ssl_key_file:   (optional) PEM file of the client private key, for mutual TLS
 * - options:
 *   - retry_timeout:        pause between a waiter's attempts without pub/sub or during an outage, in ms (default: 100)
 *   - lock_ttl:             default time to live of [[acquire]], in ms (default: 30000)
 *   - acquire_timeout:      default wait of [[acquire]], in ms (default: 10000)
 *   - watchdog:             renew leases every ttl/3 by default (default: false; withLock: true)
 *   - max_hold:             cap on a renewed lease's total hold time, in ms (default: 0, none)
 *   - min_replicas:         an acquire or extend counts only once this many replicas acknowledged it
 *                           (WAIT, at most command_timeout/2), else ConnectionException NOT_REPLICATED (default: 0)
 *   - cluster:              true for a Redis Cluster: the connections are its seed nodes (default: false)
 *   - sentinel_name:        the master name the Sentinels monitor: the connections are Sentinels
 *   - key_prefix:           (optional) prefix of every key, so several services can share one Redis
 *   - connect_timeout:      how long `open()` may wait for the server, in ms (default: 5000)
 *   - command_timeout:      how long a command may wait for its reply, in ms (default: 5000)
 *   - reconnect_max_delay:  cap of the backoff between reconnect attempts, in ms (default: 2000)
 *   - ssl_reject_unauthorized: false to accept a server certificate that does not verify (default: true)
 *   - ssl_servername:       host name for SNI and certificate verification (default: the host)
 *
 * Root-level `host`, `port`, `uri`, `username`, `password`, `ssl_ca_file`, `ssl_crt_file` and
 * `ssl_key_file` are read when there is no
 * `connection(s)` / `credential(s)` section.
 *
 * Observability (see the README's Observability section): with a logger referenced it logs its
 * connection's transitions (connected, lost, reconnected, credentials or TLS refused), lost
 * leases with their reason (warn) and locks released after an outage (info); with counters it
 * counts and times acquires (`redis_lock.acquire.*`), hold times, lost leases and failed extends;
 * with a tracer it traces `acquire` and `release`. Without any of these references it does none
 * of that work. Log messages name lock keys, never tokens or credentials.
 *
 * ### References ###
 * - `*:discovery:*:*:1.0`         (optional) IDiscovery services to resolve the connection
 * - `*:credential-store:*:*:1.0`  (optional) credential stores to resolve the credential
 * - `*:logger:*:*:1.0`            (optional) ILogger components to pass log messages to
 * - `*:counters:*:*:1.0`          (optional) ICounters components to pass counters to
 * - `*:tracer:*:*:1.0`            (optional) ITracer components to record traces
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
    // How long an attempt sent at (or just before) a waiting acquire's deadline may still take to
    // answer before the acquire gives up on it: a healthy server answers in well under a millisecond.
    private static readonly _answerGrace = 200;
    // Acquisitions whose outcome an outage hid, kept for release once Redis answers again; beyond
    // this many the oldest are left to their TTL.
    private static readonly _orphanLimit = 10000;
    // How long a queued waiter stays in line without a refresh: a waiter that died stops holding up
    // the queue this long after its last refresh.
    private static readonly _queueFor = 1000;
    // How often the queue keeper refreshes a component's waiters on a lock: at most two round
    // trips per second for all of them, whatever retry_timeout is.
    private static readonly _keepEvery = 500;
    // How long a lock handed straight to a waiter by a release is held for it until it confirms:
    // a waiter that died meanwhile holds up the key this long, not a full TTL.
    private static readonly _handOverGrant = 1000;
    // How long after a hand-over an ILock acquire confirms the lock if it still holds it (a lease
    // does the same for itself); well within the hand-over grant.
    private static readonly _confirmDelay = 100;
    // How long a key counts as contended after its lock was handed over or found held.
    private static readonly _contendedFor = 1000;
    private static readonly _defaultOptions = ConfigParams.fromTuples(
        'retry_timeout', 100,
        'lock_ttl', 30000,
        'acquire_timeout', 10000,
        'watchdog', false,
        'max_hold', 0,
        'min_replicas', 0
    );

    /** Logs lease losses and the connection's transitions to the loggers in the references. */
    protected readonly _logger = new CompositeLogger();
    /** Counts and times acquires, holds, lost leases and failed extends in the counters in the references. */
    protected readonly _counters = new CompositeCounters();
    /** Traces acquire and release to the tracers in the references. */
    protected readonly _tracer = new CompositeTracer();
    private readonly _observe = new RedisObservability(this.componentName, this._logger, this._counters, this._tracer);
    private readonly _connection = new RedisConnection(LOCK_SCRIPTS, this.componentName);
    private readonly _tokens = new LockTokens();
    private _notifier = new ReleaseNotifier(this._connection);
    private _keeper = this.newKeeper();
    private readonly _held = new Map<string, HeldLock>();
    // Waiting acquires, so close() can take them out of their queues.
    private readonly _waiting = new Set<PendingAcquire>();
    // token -> keys of acquisitions that may hold a lock nobody knows of (their reply was lost).
    private readonly _orphans = new Map<string, LockKeys>();
    // lock key -> monotonic time until which acquires skip the claim (see noteContended).
    private readonly _contended = new Map<string, number>();
    private _opening: Promise<void> | null = null;
    private _closing = false;
    private _retryInterval = 100;
    private _lockTtl = 30000;
    private _acquireTimeout = 10000;
    private _watchdog = false;
    private _maxHold = 0;
    private _minReplicas = 0;

    /**
     * Creates a lock; configure it, then open it.
     */
    public constructor() {
        super();
        this._connection.onRecovered(() => { this.releaseOrphans(null).catch(() => undefined); });
    }

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
        this._retryInterval = RedisOptions.readMillis(options, 'retry_timeout', 1);
        this._lockTtl = RedisOptions.readMillis(options, 'lock_ttl', 1);
        this._acquireTimeout = RedisOptions.readMillis(options, 'acquire_timeout', 0);
        this._maxHold = RedisOptions.readMillis(options, 'max_hold', 0);
        this._watchdog = RedisOptions.readBoolean(options, 'watchdog') ?? false;
        this._minReplicas = RedisOptions.readCount(options, 'min_replicas', 0, 0, 100);
    }

    /**
     * Sets references to discovery services, credential stores, loggers, counters and tracers.
     *
     * @param references    references to locate the component dependencies.
     */
    public setReferences(references: IReferences): void {
        this._connection.setReferences(references);
        this._observe.setReferences(references);
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
     * Opens the component: connects to Redis and waits until the server is ready. Concurrent calls
     * share one attempt.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @throws ConfigException when the connection is not configured; ConnectionException when the
     *         server cannot be reached, refuses the credentials or does not answer in time.
     */
    public async open(context: IContext | string | null): Promise<void> {
        if (this._connection.isOpen()) return;
        this._opening ??= this._connection.open(context)
            .then(() => {
                this._closing = false;
                this._notifier = new ReleaseNotifier(this._connection);
                this._keeper = this.newKeeper();
            })
            .finally(() => { this._opening = null; });
        return this._opening;
    }

    /**
     * Closes the component. Its waiting acquires leave their queues at once (the next waiter in line
     * is not held up) and fail with NOT_OPENED; locks whose acquire reply an outage lost are released;
     * locks it holds stay in Redis until their TTL runs out. Closing while `open()` is under way
     * waits for it, then closes.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     */
    public async close(context: IContext | string | null): Promise<void> {
        if (this._opening != null) await this._opening.catch(() => undefined);
        if (this._connection.isOpen() && !this._closing) {
            // From here on no attempt is sent, so nothing re-queues behind the leaves below (they
            // travel on the same connection after any attempt already sent).
            this._closing = true;
            await Promise.all([
                ...[...this._waiting].map(pending => this.leaveQueue(context, pending.keys, pending.token)),
                this.releaseOrphans(context)
            ]);
        }
        this._held.clear();
        this._keeper.close();
        // Close the connection before waking the waiters: they then fail with NOT_OPENED.
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
        const grant = await this.acquireGrant(context, key, ttl, 0, undefined, false, false);
        if (grant != null) this.remember(key, RedisLock.heldOf(grant, ttl));
        return grant != null;
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
        const grant = await this.acquireGrant(context, key, ttl, timeout, undefined, true, false);
        if (grant == null) throw this.lockTimeout(context, key);
        this.remember(key, RedisLock.heldOf(grant, ttl));
        if (grant.grantedFor != null) this.confirmHeld(context, key, grant.token, ttl);
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
        if (!this.isOpen()) throw RedisErrors.notOpened(TraceId.of(context));
        const held = this._held.get(key);
        if (held?.lease != null) return held.lease.extend(ttl);
        const requestedAt = Date.now();
        let extended = false;
        if (held != null) {
            try {
                extended = await this.extendHeld(context, this.keysOf(key), held.token, ttl);
            } catch (err) {
                this._observe.increment('extend.failed');
                throw err;
            }
        }
        if (held == null || !extended) {
            this._observe.increment('extend.failed');
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
        if (!this.isOpen()) throw RedisErrors.notOpened(TraceId.of(context));
        const held = this._held.get(key);
        if (held == null) return;
        if (held.lease != null) {
            await held.lease.release();
            return;
        }
        this._held.delete(key);
        held.confirm?.cancel();
        try {
            await this.releaseHeld(context, this.keysOf(key), held.token);
        } catch (err) {
            // Keep the token so the caller can retry the release, unless the key was acquired again meanwhile.
            if (!this._held.has(key)) this._held.set(key, held);
            throw err;
        }
        if (this._observe.counting) this._observe.time('hold_time', Timers.now() - held.acquiredAt);
    }

    /**
     * Acquires a lock and returns a lease on it, waiting while it is busy.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param options   (optional) ttl, timeout, AbortSignal, watchdog and max hold; defaults from
     *                  `options.*` (also for a null options object or null members).
     * @returns the lease: fence, expiresAt, loss signal, extend() and release().
     * @throws ConflictException LOCK_TIMEOUT when the lock stayed busy; the signal's reason when
     *         aborted; BadRequestException INVALID_KEY, INVALID_TTL, INVALID_TIMEOUT (timeout,
     *         maxHold) or INVALID_OPTION (options not an object, signal not an AbortSignal, watchdog
     *         not a boolean), with nothing sent; InvalidStateException NOT_OPENED; ConnectionException
     *         when Redis is unreachable or stops answering (also past the timeout of a waiting acquire).
     */
    public async acquire(context: IContext | string | null, key: string, options?: LockAcquireOptions | null): Promise<LockLease> {
        const traceId = TraceId.of(context);
        RedisArguments.checkCallOptions(traceId, options);
        options ??= {};
        const ttl = options.ttl ?? this._lockTtl;
        const timeout = options.timeout ?? this._acquireTimeout;
        const maxHold = options.maxHold ?? this._maxHold;
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        RedisArguments.checkTimeout(traceId, timeout);
        RedisArguments.checkTimeout(traceId, maxHold, 'maxHold');
        const grant = await this.acquireGrant(context, key, ttl, timeout, options.signal, true, true);
        if (grant == null) throw this.lockTimeout(context, key);
        const lease = LockLease.granted(this.leaseOwner(context, key, grant.requestedAtMonotonic), traceId, key, grant, ttl,
            { watchdog: options.watchdog ?? this._watchdog, maxHold });
        this.remember(key, { ...RedisLock.heldOf(grant, ttl), lease });
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
     * @param options   (optional) as for [[acquire]]; a missing or null `watchdog` means true.
     * @returns what fn resolves to.
     * @throws BadRequestException INVALID_FUNCTION when fn is not a function, and as [[acquire]]
     *         (nothing is sent for bad arguments); whatever fn throws; otherwise as [[acquire]].
     */
    public async withLock<T>(context: IContext | string | null, key: string,
        fn: (signal: AbortSignal, lease: LockLease) => Promise<T>, options?: LockAcquireOptions | null): Promise<T> {
        const traceId = TraceId.of(context);
        RedisArguments.checkFunction(traceId, fn, 'fn');
        RedisArguments.checkCallOptions(traceId, options);
        const lease = await this.acquire(context, key, { ...options, watchdog: options?.watchdog ?? true });
        try {
            return await fn(lease.signal, lease);
        } finally {
            await lease.release().catch(() => false);
        }
    }

    /**
     * [[waitFor]], counted and traced when counters or a tracer are referenced; without them
     * acquires pay for none of this.
     *
     * @param fenced        true when the caller needs a fence (a lease); the ILock methods do not.
     * @param timeoutFails  true when running out of time is an error (LOCK_TIMEOUT, thrown here when
     *                      traced, so the trace records it); false for tryAcquireLock, where it is an answer.
     * @returns the grant, or null when the lock stayed busy.
     */
    private async acquireGrant(context: IContext | string | null, key: string, ttl: number, timeout: number,
        signal: AbortSignal | undefined, timeoutFails: boolean, fenced: boolean): Promise<LeaseGrant | null> {
        const observe = this._observe;
        if (!observe.observing) return this.waitFor(context, key, ttl, timeout, signal, fenced);
        const startedAt = Timers.now();
        const trace = observe.tracing ? observe.beginTrace(context, 'acquire') : null;
        let grant: LeaseGrant | null;
        try {
            grant = await this.waitFor(context, key, ttl, timeout, signal, fenced);
        } catch (err) {
            if (signal?.aborted && err === signal.reason) observe.increment('acquire.aborted');
            else observe.increment('acquire.failed');
            observe.endFailure(trace, err);
            throw err;
        }
        if (grant == null) {
            observe.increment('acquire.timed_out');
            if (!timeoutFails) {
                observe.endTrace(trace);
                return null;
            }
            const timedOut = this.lockTimeout(context, key);
            observe.endFailure(trace, timedOut);
            throw timedOut;
        }
        if (observe.counting) {
            observe.increment('acquire.acquired');
            observe.time('acquire.wait_time', Timers.now() - startedAt);
        }
        observe.endTrace(trace);
        return grant;
    }

    /**
     * Acquires, waiting up to `timeout` ms: the first attempt at once, then whenever the release
     * (or the queue keeper) wakes this waiter, or, first in line, when the holder's TTL runs out.
     * Without pub/sub it attempts every `retry_timeout` instead. Without a fence to hand out, the
     * first attempt is a claim (SET NX, no script); the acquire script then queues up.
     *
     * @returns the grant, or null when the lock stayed busy for the whole timeout.
     */
    private async waitFor(context: IContext | string | null, key: string, ttl: number, timeout: number,
        signal: AbortSignal | undefined, fenced: boolean): Promise<LeaseGrant | null> {
        if (signal?.aborted) throw signal.reason;
        const pending: PendingAcquire = { keys: this.keysOf(key), token: this._tokens.next(), uncertain: false };
        const deadline = Timers.now() + timeout;
        const queueFor = timeout > 0 ? RedisLock._queueFor : 0;
        let waiter: ReleaseWaiter | null = null;
        let listening = false;
        // What the queue keeper knows of this waiter; it wakes a waiter that became first in line
        // unless the waiter already knows.
        const kept: KeptWaiter = { token: pending.token, first: false, queuedAt: 0, queuedAtMonotonic: 0, wake: () => waiter?.wake() };
        let stopKeeping: (() => void) | null = null;
        let grant: LeaseGrant | null = null;
        this._waiting.add(pending);
        try {
            let pttl = -1;
            let pause = false;
            const claimed = fenced || this._minReplicas > 0 || this.isContended(pending.keys.lock) ? null
                : await this.claimFree(context, pending, ttl, timeout > 0);
            if (claimed != null && claimed != 'busy') grant = claimed;
            // A busy lock answers a single attempt; a wait queues up with the acquire script.
            for (;;) {
                if (grant != null || (claimed == 'busy' && timeout <= 0)) break;
                if (pause) {
                    const left = deadline - Timers.now();
                    if (left <= 0) break;
                    const expiry = pttl > 0 ? pttl + 1 : this._retryInterval;
                    // Listening, only the first in line has a reason to look before it is woken: a
                    // holder that lets its TTL run out publishes nothing.
                    const delay = !listening ? Math.min(this._retryInterval, left, expiry)
                        : kept.first ? Math.min(left, expiry) : left;
                    if (await waiter!.wait(delay, signal) == 'aborted') throw signal!.reason;
                    const handedOver = waiter!.takeGrant();
                    if (handedOver != null) {
                        grant = await this.takeOver(context, pending, handedOver, kept, ttl);
                        if (grant != null) break;
                    }
                }
                const outcome = await this.attemptThroughOutage(context, pending, ttl, queueFor,
                    timeout > 0 ? deadline : null, signal);
                if ('token' in outcome) {
                    grant = outcome;
                    break;
                }
                pttl = outcome.pttl;
                kept.first = outcome.first;
                kept.queuedAt = outcome.requestedAt;
                kept.queuedAtMonotonic = outcome.requestedAtMonotonic;
                if (timeout <= 0) break;
                pause = true;
                if (waiter == null) {
                    waiter = this._notifier.register(pending.keys.inbox(pending.token), pending.token);
                    stopKeeping = this._keeper.keep(pending.keys, kept);
                    listening = await waiter.subscription;
                    // A wake-up published before a new subscription took effect would be lost: look once more at once.
                    pause = waiter.wasListening;
                }
            }
        } catch (err) {
            await this.giveUp(context, pending, timeout > 0);
            throw err;
        } finally {
            stopKeeping?.();
            waiter?.dispose();
            this._waiting.delete(pending);
        }
        if (grant == null) {
            await this.giveUp(context, pending, timeout > 0);
            return null;
        }
        if (this._closing) {
            // Granted while the component closed: nobody would release it.
            this.discard(context, pending.keys, pending.token);
            throw RedisErrors.notOpened(TraceId.of(context));
        }
        return grant;
    }

    /**
     * The uncontended path of an acquire without a fence: a claim (SET NX with a look at the queue).
     * A lock taken ahead of queued waiters is handed to the first of them at once (the release
     * step), and the acquire goes on as usual. Any failure also leaves it to the acquire script,
     * which takes a lock this token already holds.
     *
     * @param waiting   true when the acquire waits (and rides out outages): an outage then leaves it
     *                  to the acquire script instead of failing the acquire.
     * @returns the grant; 'busy' when the lock is held; null when the acquire script must decide.
     */
    private async claimFree(context: IContext | string | null, pending: PendingAcquire, ttl: number,
        waiting: boolean): Promise<LeaseGrant | 'busy' | null> {
        const requestedAt = Date.now();
        const requestedAtMonotonic = Timers.now();
        try {
            const outcome = await this._connection.call<ClaimResult, LockCommands>(context, client => claim(client, pending.keys, pending.token, ttl));
            if (outcome == 'taken') return { token: pending.token, fence: 0, requestedAt, requestedAtMonotonic };
            this.noteContended(pending.keys.lock);
            if (outcome == 'busy') return 'busy';
            await this._connection.call<ReleaseResult, LockCommands>(context, client => release(client, pending.keys, pending.token, RedisLock._handOverGrant));
        } catch (err) {
            // The claim may have taken the lock: the acquire script takes it again by token, and
            // an acquire that ends without it releases the token.
            pending.uncertain = true;
            if (!waiting || !RedisErrors.isOutage(err)) throw err;
        }
        return null;
    }

    /**
     * Takes over a lock a release handed to this waiter. Redis holds it for the token for the short
     * grant from the hand-over on; the hand-over came after the last request that found the token
     * still queued, so that request's send time is where the lease's expiry is counted from. The
     * lease then confirms (extends to its TTL) in the background. When too little of the grant is
     * certain, or replicas must acknowledge, the confirm comes first.
     *
     * @returns the grant, or null when the lock was no longer the token's to confirm.
     */
    private async takeOver(context: IContext | string | null, pending: PendingAcquire, fence: number,
        kept: KeptWaiter, ttl: number): Promise<LeaseGrant | null> {
        const certain = Math.min(RedisLock._handOverGrant, ttl);
        if (this._minReplicas == 0 && kept.queuedAtMonotonic + certain - Timers.now() >= certain / 2) {
            return { token: pending.token, fence, requestedAt: kept.queuedAt, requestedAtMonotonic: kept.queuedAtMonotonic, grantedFor: certain };
        }
        const requestedAt = Date.now();
        const requestedAtMonotonic = Timers.now();
        try {
            if (await this.extendHeld(context, pending.keys, pending.token, ttl)) {
                return { token: pending.token, fence, requestedAt, requestedAtMonotonic };
            }
        } catch {
            // The confirm's outcome is unknown: the next attempt finds the lock still the token's,
            // or the token is released when the acquire gives up.
            pending.uncertain = true;
        }
        return null;
    }

    /**
     * Confirms a lock handed over to an ILock acquire (no lease to do it), in the background, a
     * moment later: a lock released by then (a short critical section) needs no confirm.
     */
    private confirmHeld(context: IContext | string | null, key: string, token: string, ttl: number): void {
        const handedOver = this._held.get(key);
        if (handedOver?.token !== token) return;
        // Cancelled by a release within the delay: no wake-up per hand-off for nothing.
        handedOver.confirm = Timers.after(RedisLock._confirmDelay, () => {
            if (this._held.get(key)?.token !== token) return;
            const requestedAt = Date.now();
            this.extendHeld(context, this.keysOf(key), token, ttl).then(confirmed => {
                const held = this._held.get(key);
                if (held?.token !== token) return;
                if (confirmed) held.expiresAt = requestedAt + ttl;
                else this._held.delete(key);
            }, () => undefined);
        });
    }

    /**
     * One acquire attempt that rides out outages: while Redis is unreachable, frozen or reconnecting
     * (CONNECTION_LOST, COMMAND_TIMEOUT) it tries again every `retry_timeout` until the deadline,
     * then throws that ConnectionException, so a caller can tell an outage from a busy lock. An
     * attempt still unanswered at the deadline (or when the signal aborts) is abandoned: if it
     * turns out to have taken the lock, the lock is released.
     *
     * @returns the grant, or the attempt's result when the lock is busy.
     */
    private async attemptThroughOutage(context: IContext | string | null, pending: PendingAcquire, ttl: number,
        queueFor: number, deadline: number | null, signal?: AbortSignal): Promise<LeaseGrant | BusyAttempt> {
        for (;;) {
            if (this._closing) throw RedisErrors.notOpened(TraceId.of(context));
            const requestedAt = Date.now();
            const requestedAtMonotonic = Timers.now();
            const attempt = this.attempt(context, pending, ttl, queueFor);
            let result: AcquireResult | null;
            try {
                result = deadline == null ? await attempt : await this.settleBy(attempt, deadline, signal);
            } catch (err) {
                if (!RedisErrors.isOutage(err)) throw err;
                pending.uncertain = true;
                const left = deadline == null ? 0 : deadline - Timers.now();
                if (left <= 0 || this._closing || !this.isOpen()) throw err;
                await Timers.pause(Math.min(this._retryInterval, left), signal);
                if (signal?.aborted) throw signal.reason;
                continue;
            }
            if (result == null) {
                // Abandoned unanswered: whatever it did is undone by token once Redis answers it, or
                // on recovery; nobody waits for that (the connection may be frozen).
                pending.uncertain = true;
                attempt.then(() => this.discard(context, pending.keys, pending.token), () => undefined);
                if (signal?.aborted) throw signal.reason;
                throw RedisErrors.noAnswer(TraceId.of(context));
            }
            if (signal?.aborted) {
                // Answered, but the caller gave up meanwhile: give back what it took.
                if (result.fence > 0) this.discard(context, pending.keys, pending.token);
                throw signal.reason;
            }
            if (result.fence == 0) return { ...result, requestedAt, requestedAtMonotonic };
            pending.uncertain = false;
            return { token: pending.token, fence: result.fence, requestedAt, requestedAtMonotonic };
        }
    }

    /**
     * One acquire attempt. With `options.min_replicas`, a WAIT follows the script on the same
     * connection (in the same write), and a grant counts only once that many replicas acknowledged
     * it: otherwise the lock is given back and the attempt fails with NOT_REPLICATED, an outage that
     * a waiting acquire rides out until its deadline.
     */
    private async attempt(context: IContext | string | null, pending: PendingAcquire, ttl: number,
        queueFor: number): Promise<AcquireResult> {
        const attempt = this._connection.call<AcquireResult, LockCommands>(context,
            client => acquire(client, pending.keys, pending.token, ttl, queueFor));
        if (this._minReplicas == 0) return attempt;
        const acknowledged = this.acknowledged(context, pending.keys);
        const [result, replicas] = await Promise.all([attempt, acknowledged]);
        if (result.fence > 0 && replicas < this._minReplicas) {
            // Given back before the caller hears of it, so a NOT_REPLICATED acquire holds nothing;
            // what cannot be given back now is released on recovery.
            await this.clearToken(context, pending.keys, pending.token).catch(() => this.orphan(pending.keys, pending.token));
            throw RedisErrors.notReplicated(TraceId.of(context), this._minReplicas, replicas);
        }
        return result;
    }

    /**
     * Extends a held lock (compare-and-PEXPIRE); with `options.min_replicas`, the new expiry counts
     * only once that many replicas acknowledged it, since a failover to a replica without it would
     * let the lock expire early.
     *
     * @returns true when the token held the lock.
     * @throws ConnectionException NOT_REPLICATED when too few replicas acknowledged in time.
     */
    private async extendHeld(context: IContext | string | null, keys: LockKeys, token: string, ttl: number): Promise<boolean> {
        const extending = this._connection.call<boolean, LockCommands>(context, client => extend(client, keys, token, ttl));
        if (this._minReplicas == 0) return extending;
        const [extended, replicas] = await Promise.all([extending, this.acknowledged(context, keys)]);
        if (extended && replicas < this._minReplicas) throw RedisErrors.notReplicated(TraceId.of(context), this._minReplicas, replicas);
        return extended;
    }

    // WAIT for the replicas, sent right after the step it confirms, on the same connection. It waits
    // at most half the command timeout: WAIT holds the connection, whose socket timeout is the
    // command timeout.
    private acknowledged(context: IContext | string | null, keys: LockKeys): Promise<number> {
        const timeout = Math.max(1, Math.floor(this._connection.getCommandTimeout() / 2));
        return this._connection.waitForReplicas(context, keys.lock, this._minReplicas, timeout);
    }

    /**
     * Waits for an attempt, but no longer than the deadline or an abort, plus a short grace in
     * which an attempt sent right before either may still answer (so a responsive server's answer
     * is always used). node-redis cannot take back a written command, so the race is only run when
     * the attempt could outlast that (the command timeout bounds it otherwise) or a signal may
     * abort it.
     *
     * @returns the attempt's result, or null when it did not answer in time.
     */
    private settleBy<T>(attempt: Promise<T>, deadline: number, signal?: AbortSignal): Promise<T | null> {
        const commandTimeout = this._connection.getCommandTimeout();
        const grace = Math.min(RedisLock._answerGrace, commandTimeout);
        const limit = Math.max(deadline - Timers.now(), grace);
        if (signal == null && limit >= commandTimeout) return attempt;
        return new Promise<T | null>((resolve, reject) => {
            let timer = Timers.after(limit, () => { finish(); resolve(null); }, true);
            const onAbort = () => {
                timer.cancel();
                timer = Timers.after(grace, () => resolve(null), true);
            };
            const finish = () => {
                timer.cancel();
                signal?.removeEventListener('abort', onAbort);
            };
            if (signal?.aborted) onAbort();
            else signal?.addEventListener('abort', onAbort, { once: true });
            attempt.then(value => { finish(); resolve(value); }, err => { finish(); reject(err); });
        });
    }

    /**
     * After a waiting acquire ended without the lock: leaves the queue (so the waiters behind are
     * not held up), and when an outage hid an attempt's outcome, keeps the token for release once
     * Redis answers again. Never throws.
     */
    private async giveUp(context: IContext | string | null, pending: PendingAcquire, queued: boolean): Promise<void> {
        if (pending.uncertain) this.orphan(pending.keys, pending.token);
        else if (queued && !this._closing && this.isOpen()) await this.leaveQueue(context, pending.keys, pending.token);
    }

    /**
     * Leaves a waiter queue, and frees a lock a release may have handed to the token meanwhile; a
     * failure is left to the queue entry's expiry and the hand-over's short grant. Never throws.
     */
    private async leaveQueue(context: IContext | string | null, keys: LockKeys, token: string): Promise<void> {
        await this.clearToken(context, keys, token).catch(() => undefined);
    }

    /**
     * Releases whatever a token holds and takes it out of the queue, in the background; on failure
     * keeps it as an orphan for the next recovery.
     */
    private discard(context: IContext | string | null, keys: LockKeys, token: string): void {
        this.clearToken(context, keys, token).then(
            () => { if (this._orphans.get(token) === keys) this._orphans.delete(token); },
            () => this.orphan(keys, token));
    }

    /**
     * Releases a lock this component holds (compare-and-delete, waking the next waiter), traced.
     * A release an outage may have kept from running is tried again once Redis answers.
     *
     * @returns true when the token held the lock.
     */
    private releaseHeld(context: IContext | string | null, keys: LockKeys, token: string): Promise<boolean> {
        return this._observe.traced(context, 'release', () => this._connection.call<ReleaseResult, LockCommands>(context,
            client => release(client, keys, token, RedisLock._handOverGrant)).then(result => {
            if (result == 'handed_over') this.noteContended(keys.lock);
            return result != 'not_held';
        }, err => {
            if (RedisErrors.isOutage(err)) this.orphan(keys, token);
            throw err;
        }));
    }

    // A key whose lock was just handed to a waiter, or found held: the next acquire here would most
    // likely find it taken, so it goes straight to the acquire script (and its queue) instead of
    // spending a round trip on a claim first.
    private noteContended(lock: string): void {
        if (this._contended.size >= RedisLock._sweepThreshold) this._contended.clear();
        this._contended.set(lock, Timers.now() + RedisLock._contendedFor);
    }

    private isContended(lock: string): boolean {
        const until = this._contended.get(lock);
        if (until == null) return false;
        if (until > Timers.now()) return true;
        this._contended.delete(lock);
        return false;
    }

    // Takes a token out of the queue and releases whatever it may hold (an acquisition nobody waits
    // for). The leave is sent first: once it ran, no release can hand the lock to the token, and
    // the release after it frees a lock handed over before.
    private async clearToken(context: IContext | string | null, keys: LockKeys, token: string): Promise<void> {
        await Promise.all([
            this._connection.call<boolean, LockCommands>(context, client => leave(client, keys, token)),
            this._connection.call<ReleaseResult, LockCommands>(context, client => release(client, keys, token, RedisLock._handOverGrant))
        ]);
    }

    private orphan(keys: LockKeys, token: string): void {
        this._orphans.set(token, keys);
        if (this._orphans.size > RedisLock._orphanLimit) {
            this._orphans.delete(this._orphans.keys().next().value as string);
        }
    }

    /** Releases the locks an outage may have left to tokens nobody waits for; those that fail stay. */
    private async releaseOrphans(context: IContext | string | null): Promise<void> {
        let released = 0;
        await Promise.all([...this._orphans].map(async ([token, keys]) => {
            try {
                await this.clearToken(context, keys, token);
                if (this._orphans.get(token) === keys) this._orphans.delete(token);
                released++;
            } catch {
                // Still unreachable: the next recovery tries again.
            }
        }));
        if (released > 0) {
            this._observe.increment('orphans.released', released);
            this._observe.info(context, '%s released %d lock(s) whose acquire or release reply an outage had lost',
                this._observe.component, released);
        }
    }

    // The queue keeper of this component's waiters, touching through its connection.
    private newKeeper(): QueueKeeper {
        return new QueueKeeper((keys, tokens) => this._connection.call<TouchResult, LockCommands>(null,
            client => touch(client, keys, tokens, RedisLock._queueFor)), RedisLock._keepEvery);
    }

    private leaseOwner(context: IContext | string | null, key: string, acquiredAt: number): LeaseOwner {
        const keys = this.keysOf(key);
        return {
            extend: (token, ttl) => {
                const extending = this.extendHeld(context, keys, token, ttl);
                return this._observe.counting ? this.countExtend(extending) : extending;
            },
            release: token => this.releaseHeld(context, keys, token),
            ended: (lease, lost) => {
                if (this._held.get(key)?.lease === lease) this._held.delete(key);
                if (this._observe.counting) this._observe.time('hold_time', Timers.now() - acquiredAt);
                if (lost != null) this.leaseLost(context, key, lost);
            }
        };
    }

    private leaseLost(context: IContext | string | null, key: string, reason: LeaseLossReason): void {
        this._observe.increment('lease.lost.' + reason);
        this._observe.warn(context, '%s lost its lease on lock %s: %s', this._observe.component, key, reason);
    }

    private countExtend(extending: Promise<boolean>): Promise<boolean> {
        return extending.then(
            extended => { if (!extended) this._observe.increment('extend.failed'); return extended; },
            err => { this._observe.increment('extend.failed'); throw err; });
    }

    private lockTimeout(context: IContext | string | null, key: string): ConflictException {
        return new ConflictException(TraceId.of(context), 'LOCK_TIMEOUT', 'Acquiring lock ' + key + ' failed on timeout')
            .withDetails('key', key);
    }

    /**
     * The name of this component in its log messages, counter names and traces: `redis_lock`.
     * Subclasses with a role of their own (the cache's fill lock) name themselves apart.
     */
    protected get componentName(): string {
        return 'redis_lock';
    }

    /**
     * The namespace of this component's locks: empty, so a lock's Redis key is the caller's key.
     * For subclasses that lock internal keys (the cache's fill lock): a non-empty namespace puts
     * their locks apart from every caller's lock on the same key.
     */
    protected get keyNamespace(): string {
        return '';
    }

    private keysOf(key: string): LockKeys {
        return new LockKeys(key, this._connection.getKeySpace(), this.keyNamespace);
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

    private static heldOf(grant: LeaseGrant, ttl: number): HeldLock {
        return { token: grant.token, expiresAt: grant.requestedAt + (grant.grantedFor ?? ttl), acquiredAt: grant.requestedAtMonotonic };
    }
}

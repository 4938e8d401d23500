/** @module lock */
import { randomBytes } from 'crypto';
import { ConfigException } from 'pip-services4-commons-node';
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
import { acquire, AcquireCommands, LOCK_SCRIPTS, release, ReleaseCommands } from './scripts';

type LockCommands = AcquireCommands & ReleaseCommands;

/** The token of one acquisition this component holds, and when its TTL runs out. */
interface HeldLock {
    token: string;
    expiresAt: number;
}

/**
 * Distributed lock backed by Redis.
 *
 * Acquiring is one `SET key token NX PX ttl` with a token unique to that acquisition; releasing is
 * one atomic compare-and-delete (Lua), so a component only ever deletes a lock it still holds and
 * never the lock of whoever took the key over after a TTL ran out. Lock keys are the caller's keys,
 * verbatim, as in version 0.0.3, so old and new instances sharing a Redis exclude each other.
 *
 * `acquireLock` keeps the base class contract: it retries every `options.retry_timeout`
 * milliseconds and throws ConflictException `LOCK_TIMEOUT` (with the key in the details) when the
 * timeout passes.
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
 *   - retry_timeout:        how often `acquireLock` retries, in ms (default: 100)
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
 * await lock.acquireLock("123", "key1", 3000, 1000);
 * try {
 *   // Processing...
 * } finally {
 *   await lock.releaseLock("123", "key1");
 * }
 * await lock.close("123");
 * ```
 */
export class RedisLock extends Lock implements IConfigurable, IReferenceable, IOpenable {
    // Tokens of released-by-TTL locks are swept once the map grows past this.
    private static readonly _sweepThreshold = 10000;

    private readonly _connection = new RedisConnection(LOCK_SCRIPTS);
    private readonly _held = new Map<string, HeldLock>();

    /**
     * Configures the component.
     *
     * @param config    configuration parameters to be set.
     * @throws ConfigException INVALID_OPTION for a bad option value.
     */
    public configure(config: ConfigParams): void {
        super.configure(config);
        this._connection.configure(config);
        // The base class would silently fall back to its default for a value it cannot parse.
        const retryTimeout = config.getAsNullableString('options.retry_timeout');
        if (retryTimeout != null && !(Number.isInteger(Number(retryTimeout)) && Number(retryTimeout) > 0)) {
            throw new ConfigException(null as any, 'INVALID_OPTION', 'Option retry_timeout must be a positive integer (ms)')
                .withDetails('option', 'retry_timeout').withDetails('value', retryTimeout);
        }
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
        await this._connection.open(context);
    }

    /**
     * Closes the component. Locks it holds stay in Redis until their TTL runs out.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     */
    public async close(context: IContext | string | null): Promise<void> {
        this._held.clear();
        await this._connection.close(context);
    }

    /**
     * Makes a single attempt to acquire a lock by its key.
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
        const startedAt = Date.now();
        const acquired = await this._connection.call<boolean, LockCommands>(context,
            client => acquire(client, key, token, ttl));
        if (acquired) this.remember(key, { token, expiresAt: startedAt + ttl });
        return acquired;
    }

    /**
     * Acquires a lock by its key, retrying every `options.retry_timeout` ms until it succeeds or
     * the timeout passes.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       unique lock key to acquire.
     * @param ttl       lock timeout (time to live) in milliseconds.
     * @param timeout   how long to keep trying, in milliseconds.
     * @throws ConflictException LOCK_TIMEOUT when the lock stayed busy; BadRequestException for bad
     *         arguments; InvalidStateException NOT_OPENED; ConnectionException when Redis is unreachable.
     */
    public async acquireLock(context: IContext | string | null, key: string, ttl: number, timeout: number): Promise<void> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        RedisArguments.checkTtl(traceId, ttl);
        RedisArguments.checkTimeout(traceId, timeout);
        if (!this.isOpen()) throw RedisConnection.notOpened(context);
        await super.acquireLock(TraceId.toContext(context), key, ttl, timeout);
    }

    /**
     * Releases a lock this component acquired. Releasing a lock it does not hold (never acquired,
     * already released, or expired and taken by someone else) does nothing.
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
        this._held.delete(key);
        try {
            await this._connection.call<boolean, LockCommands>(context, client => release(client, key, held.token));
        } catch (err) {
            // Keep the token so the caller can retry the release, unless the key was acquired again meanwhile.
            if (!this._held.has(key)) this._held.set(key, held);
            throw err;
        }
    }

    private remember(key: string, held: HeldLock): void {
        if (this._held.size >= RedisLock._sweepThreshold) {
            const now = Date.now();
            for (const [k, h] of this._held) {
                if (h.expiresAt < now) this._held.delete(k);
            }
        }
        this._held.set(key, held);
    }

    private static newToken(): string {
        return randomBytes(16).toString('hex');
    }
}

/** @module cache */
import { ConflictException, BadRequestException } from 'pip-services4-commons-node';
import {
    ConfigParams,
    IConfigurable,
    IContext,
    IOpenable,
    IReferenceable,
    IReferences
} from 'pip-services4-components-node';
import { ICache } from 'pip-services4-logic-node';
import { CompositeCounters, CompositeLogger, CompositeTracer } from 'pip-services4-observability-node';

import { RedisArguments } from '../connect/RedisArguments';
import { RedisConnection } from '../connect/RedisConnection';
import { RedisObservability } from '../connect/RedisObservability';
import { RedisOptions } from '../connect/RedisOptions';
import { TraceId } from '../connect/TraceId';
import { Timers } from '../lock/Timers';
import { CacheCodec } from './CacheCodec';
import { FillLock } from './FillLock';
import { read, ReadCommands, remove, RemoveCommands, write, WriteCommands } from './commands';

type CacheCommands = ReadCommands & WriteCommands & RemoveCommands;

/** A fill in progress in this component, shared by its callers for the same key. */
interface SharedFill {
    promise: Promise<any>;
    producerFailed: boolean;
}

/**
 * Distributed cache backed by Redis, with a stampede-proof `getOrSet`.
 *
 * Values are stored as JSON (`SET key json PX ttl`), so a Date comes back as its ISO string and a
 * class instance as a plain object. Choices where ICache leaves room:
 * - `store` resolves to the value it was given (not Redis' "OK").
 * - A missing, zero or negative timeout uses `options.timeout`; every key gets a TTL.
 * - A `null` or `undefined` value deletes the key and resolves to that value, as MemoryCache does
 *   (0.0.3 stored the text "null"); `retrieve` gives null for it either way.
 * - `remove` resolves to nothing; removing an absent key is fine.
 * - A value JSON cannot represent (BigInt, function, symbol, NaN/±Infinity, a cycle) gets
 *   BadRequestException `INVALID_VALUE` and nothing is written.
 * - Reading a key whose text is not JSON gets InvalidStateException `CORRUPT_VALUE`: something
 *   else wrote it, and treating it as a miss would let `getOrSet` overwrite another writer's data.
 * - `options.max_size` is accepted and ignored: Redis bounds its memory itself (`maxmemory` with a
 *   `volatile-*` or `allkeys-*` eviction policy); counting keys from each client could not.
 *
 * `getOrSet` fills a missing key under a [[RedisLock]] on a companion key (`{key}\0fill`), so
 * across every process that asks for the same missing key at once the producer runs exactly once
 * and the others wait for its value. See [[getOrSet]].
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
 *   - timeout:              default time to live of stored values, in ms (default: 60000)
 *   - max_size:             accepted and ignored (Redis' maxmemory policy bounds the cache)
 *   - cluster:              true for a Redis Cluster: the connections are its seed nodes (default: false)
 *   - sentinel_name:        the master name the Sentinels monitor: the connections are Sentinels
 *   - key_prefix:           (optional) prepended to every cache and fill-lock key, so several services
 *                           can share one Redis; without it keys are used verbatim
 *   - fill_timeout:         how long `getOrSet` waits for another caller's fill, and the TTL of the
 *                           fill lock, in ms (default: 10000)
 *   - retry_timeout:        how often a `getOrSet` waiter retries the fill lock without pub/sub, in ms (default: 100)
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
 * Observability (see the README's Observability section): with counters referenced it counts hits
 * and misses (`retrieve` and `getOrSet`), fills, failed and timed-out fills, and times how long a
 * `getOrSet` miss waits for its value; with a tracer it traces `get_or_set`; with a logger it
 * logs its connections' transitions. Its fill lock reports as `redis_cache.fill_lock`. Without any
 * of these references it does none of that work.
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
 * const cache = new RedisCache();
 * cache.configure(ConfigParams.fromTuples(
 *   "host", "localhost",
 *   "port", 6379,
 *   "options.key_prefix", "my-service:"
 * ));
 * await cache.open("123");
 * await cache.store("123", "key1", { name: "ABC" }, 5000);
 * const value = await cache.retrieve("123", "key1");   // { name: "ABC" }
 * const user = await cache.getOrSet("123", "user:1", 60000, () => loadUser("1"));
 * await cache.close("123");
 * ```
 */
export class RedisCache implements ICache, IConfigurable, IReferenceable, IOpenable {
    /** Logs the connection's transitions to the loggers in the references. */
    protected readonly _logger = new CompositeLogger();
    /** Counts hits, misses and fills in the counters in the references. */
    protected readonly _counters = new CompositeCounters();
    /** Traces getOrSet to the tracers in the references. */
    protected readonly _tracer = new CompositeTracer();
    private readonly _observe = new RedisObservability('redis_cache', this._logger, this._counters, this._tracer);
    private readonly _connection = new RedisConnection({}, 'redis_cache');
    // The fill lock shares the cache's configuration; for now it keeps its own connection.
    private readonly _lock = new FillLock();
    private _timeout = 60000;
    private _fillTimeout = 10000;
    private readonly _fills = new Map<string, SharedFill>();

    /**
     * Configures the component.
     *
     * @param config    configuration parameters to be set.
     * @throws ConfigException INVALID_OPTION for a bad option value.
     */
    public configure(config: ConfigParams): void {
        this._connection.configure(config);
        this._lock.configure(config);
        const options = config.getSection('options');
        this._timeout = RedisOptions.readMillis(options, 'timeout', 1, this._timeout);
        this._fillTimeout = RedisOptions.readMillis(options, 'fill_timeout', 1, this._fillTimeout);
    }

    /**
     * Sets references to discovery services, credential stores, loggers, counters and tracers (the
     * fill lock gets the same references).
     *
     * @param references    references to locate the component dependencies.
     */
    public setReferences(references: IReferences): void {
        this._connection.setReferences(references);
        this._lock.setReferences(references);
        this._observe.setReferences(references);
    }

    /**
     * Checks if the component is open.
     *
     * @returns true once `open()` has succeeded and until `close()`.
     */
    public isOpen(): boolean {
        return this._connection.isOpen() && this._lock.isOpen();
    }

    /**
     * Opens the component: connects to Redis (the cache and its fill lock) and waits until the
     * server is ready. When either connection fails, neither stays open.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @throws ConfigException when the connection is not configured; ConnectionException when the
     *         server cannot be reached, refuses the credentials or does not answer in time.
     */
    public async open(context: IContext | string | null): Promise<void> {
        const results = await Promise.allSettled([this._connection.open(context), this._lock.open(context)]);
        const failed = results.find(r => r.status == 'rejected') as PromiseRejectedResult | undefined;
        if (failed != null) {
            await this.close(context);
            throw failed.reason;
        }
    }

    /**
     * Closes the component. Stored values stay in Redis until their TTL runs out.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     */
    public async close(context: IContext | string | null): Promise<void> {
        await Promise.all([this._connection.close(context), this._lock.close(context)]);
    }

    /**
     * Retrieves a cached value: one GET.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       a unique value key.
     * @returns the cached value, or null when it is absent or expired.
     * @throws BadRequestException INVALID_KEY; InvalidStateException NOT_OPENED or CORRUPT_VALUE;
     *         ConnectionException when Redis is unreachable.
     */
    public async retrieve<T = unknown>(context: IContext | string | null, key: string): Promise<T | null> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        const value = await this.readValue(context, traceId, key);
        if (this._observe.counting) this._observe.increment(value != null ? 'hits' : 'misses');
        return value;
    }

    /**
     * Stores a value for a time. A `null` or `undefined` value deletes the key instead.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       a unique value key.
     * @param value     a value to store; JSON must be able to represent it.
     * @param timeout   time to live in milliseconds; missing, 0 or negative uses `options.timeout`.
     * @returns the value that was given.
     * @throws BadRequestException INVALID_KEY, INVALID_TTL (a timeout that is not an integer) or
     *         INVALID_VALUE, with nothing written; InvalidStateException NOT_OPENED;
     *         ConnectionException when Redis is unreachable.
     */
    public async store<T>(context: IContext | string | null, key: string, value: T, timeout: number): Promise<T> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        const ttl = this.ttlOf(traceId, timeout);
        if (value == null) {
            await this._connection.call<void, CacheCommands>(context, client => remove(client, this.keyOf(key)));
            return value;
        }
        const text = CacheCodec.encode(traceId, value);
        await this._connection.call<void, CacheCommands>(context, client => write(client, this.keyOf(key), text, ttl));
        return value;
    }

    /**
     * Removes a value from the cache.
     *
     * @param context   (optional) a context to trace execution through a call chain, or a trace id.
     * @param key       a unique value key.
     * @throws BadRequestException INVALID_KEY; InvalidStateException NOT_OPENED;
     *         ConnectionException when Redis is unreachable.
     */
    public async remove(context: IContext | string | null, key: string): Promise<void> {
        RedisArguments.checkKey(TraceId.of(context), key);
        await this._connection.call<void, CacheCommands>(context, client => remove(client, this.keyOf(key)));
    }

    /**
     * Gets a cached value, or produces, stores and returns it, with the producer running once across
     * every process that asks for the same missing key at the same time.
     *
     * - A hit costs one GET, nothing else.
     * - On a miss the caller takes a [[RedisLock]] on the companion key `{key}\0fill` (TTL: the fill timeout),
     *   reads the key again (someone may just have filled it), and only then runs `produce`, stores
     *   the result and releases the lock. Callers that find the lock taken wait for it through the
     *   ILock API and read the value the holder stored instead of producing it again.
     * - Within one component, concurrent misses on the same key share one fill: only one of them
     *   takes or waits for the lock, the others get its outcome (and its fill timeout).
     * - A waiter gives up after the fill timeout with ConflictException `FILL_TIMEOUT` (key in the
     *   details), unless the value has appeared by then.
     * - When `produce` throws, its error reaches this caller unchanged (not wrapped), nothing is
     *   cached, the lock is released, and the next caller (a waiter, or a caller that shared the
     *   failed fill) runs `produce` again.
     * - A `null` or `undefined` result is returned but not cached (as `store` deletes for it).
     * - A producer that runs longer than the fill timeout loses the guard: its lock expires and
     *   another caller may start a fill of its own.
     *
     * @param context       (optional) a context to trace execution through a call chain, or a trace id.
     * @param key           a unique value key.
     * @param timeout       time to live of a produced value in ms; missing, 0 or negative uses `options.timeout`.
     * @param produce       makes the value on a miss; may be async.
     * @param fillTimeout   (optional) how long to wait for another caller's fill, and the fill lock's TTL,
     *                      in ms (default: `options.fill_timeout`).
     * @returns the cached or produced value.
     * @throws BadRequestException INVALID_KEY, INVALID_TTL, INVALID_PRODUCER or INVALID_VALUE (a
     *         produced value JSON cannot represent); ConflictException FILL_TIMEOUT; whatever
     *         `produce` throws; InvalidStateException NOT_OPENED; ConnectionException when Redis is unreachable.
     *
     * @example
     * ```typescript
     * const profile = await cache.getOrSet(ctx, "profile:" + id, 60000, async () => {
     *   return await profiles.load(ctx, id);   // runs once, however many callers miss together
     * });
     * ```
     */
    public async getOrSet<T>(context: IContext | string | null, key: string, timeout: number,
        produce: () => T | Promise<T>, fillTimeout?: number): Promise<T> {
        const traceId = TraceId.of(context);
        RedisArguments.checkKey(traceId, key);
        const ttl = this.ttlOf(traceId, timeout);
        if (typeof produce !== 'function') {
            throw new BadRequestException(traceId, 'INVALID_PRODUCER', 'The producer must be a function')
                .withDetails('produce', produce === null ? 'null' : typeof produce);
        }
        const wait = fillTimeout ?? this._fillTimeout;
        RedisArguments.checkTtl(traceId, wait, 'fill_timeout');
        return this._observe.traced(context, 'get_or_set', () => this.lookupOrFill(context, traceId, key, ttl, produce, wait));
    }

    private async lookupOrFill(context: IContext | string | null, traceId: string, key: string, ttl: number,
        produce: () => any, wait: number): Promise<any> {
        const cached = await this.readValue(context, traceId, key);
        if (cached != null) {
            if (this._observe.counting) this._observe.increment('hits');
            return cached;
        }
        if (!this._observe.counting) return this.fill(context, key, ttl, produce, wait);
        this._observe.increment('misses');
        const missedAt = Timers.now();
        const value = await this.fill(context, key, ttl, produce, wait);
        this._observe.time('fill.wait_time', Timers.now() - missedAt);
        return value;
    }

    private async fill(context: IContext | string | null, key: string, ttl: number, produce: () => any,
        wait: number): Promise<any> {
        // Callers of this component share one fill per key: one of them waits on the lock and
        // produces, the others wait for its outcome instead of queueing on the lock one by one.
        for (;;) {
            const running = this._fills.get(key);
            if (running == null) break;
            try {
                return await running.promise;
            } catch (err) {
                // That caller got its producer's error; like a waiter on the lock, try again.
                if (!running.producerFailed) throw err;
            }
        }
        const fill: SharedFill = { promise: null as any, producerFailed: false };
        fill.promise = this.lockedFill(context, key, ttl, produce, wait, fill);
        this._fills.set(key, fill);
        try {
            return await fill.promise;
        } finally {
            if (this._fills.get(key) === fill) this._fills.delete(key);
        }
    }

    private async lockedFill(context: IContext | string | null, key: string, ttl: number,
        produce: () => any, wait: number, fill: SharedFill): Promise<any> {
        const traceId = TraceId.of(context);
        try {
            await this._lock.acquireLock(context, key, wait, wait);
        } catch (err: any) {
            if (err?.code !== 'LOCK_TIMEOUT') throw err;
            const late = await this.readValue(context, traceId, key);
            if (late != null) return late;
            this._observe.increment('fill.timed_out');
            throw new ConflictException(traceId, 'FILL_TIMEOUT',
                'Another caller did not fill cache key ' + key + ' within ' + wait + ' ms')
                .withDetails('key', key).withDetails('fill_timeout', wait).withCause(err);
        }
        try {
            const filled = await this.readValue(context, traceId, key);
            if (filled != null) return filled;
            let value: any;
            try {
                value = await produce();
            } catch (err) {
                fill.producerFailed = true;
                this._observe.increment('fill.failed');
                throw err;
            }
            let stored: any;
            try {
                stored = await this.store(context, key, value, ttl);
            } catch (err) {
                this._observe.increment('fill.failed');
                throw err;
            }
            this._observe.increment('fills');
            return stored;
        } finally {
            // A failed release must not hide the producer's error or a stored value; the lock's
            // TTL (the fill timeout) frees it anyway.
            await this._lock.releaseLock(context, key).catch(() => undefined);
        }
    }

    // The name Redis sees for a cache key.
    private keyOf(key: string): string {
        return this._connection.getKeySpace().name(key);
    }

    // One GET, decoded; counts nothing (retrieve and getOrSet count what their callers see).
    private async readValue(context: IContext | string | null, traceId: string, key: string): Promise<any> {
        const text = await this._connection.call<string | null, CacheCommands>(context, client => read(client, this.keyOf(key)));
        return CacheCodec.decode(traceId, key, text);
    }

    private ttlOf(traceId: string, timeout: any): number {
        if (timeout == null || (typeof timeout === 'number' && timeout <= 0)) return this._timeout;
        RedisArguments.checkTtl(traceId, timeout, 'timeout');
        return timeout;
    }
}

import { assert } from 'chai';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { LockLease } from '../../src/lock/LockLease';
import { RedisLock } from '../../src/lock/RedisLock';
import { CommandTap } from '../support/CommandTap';
import { RedisServer } from '../support/RedisServer';

/** The plain client's commands the checks use (node-redis' own client type is too generic to name). */
export interface PlainClient {
    get(key: string): Promise<string | null>;
    pTTL(key: string): Promise<number>;
    exists(key: string): Promise<number>;
    destroy(): void;
}

/** When a key set at one moment must expire: between the time before and after the request. */
interface ExpiryWindow {
    lower: number;
    upper: number;
}

/**
 * What the bad-input table runs against: one private throwaway server watched through MONITOR, a
 * RedisLock and a RedisCache opened once, and three things that must survive every bad call
 * untouched: a lock held through the ILock API (`heldKey`), a lease (`lease`), and a cached value
 * (`cacheKey`). A row that broke one of them fails, and `restore()` rebuilds them (on new keys) so
 * the next row starts clean instead of failing for the same reason.
 */
export class BadInputFixture {
    /** The trace id every row passes as its context unless the row is about contexts. */
    public static readonly context = 'bad-input';
    /** TTL of the fixture's holds: long enough to outlive the whole suite. */
    public static readonly holdTtl = 120000;
    /** `options.timeout` of the fixture's cache: the TTL a default-TTL store must get. */
    public static readonly cacheTimeout = 45000;
    /** `options.lock_ttl` of the fixture's lock: the TTL of acquire() without a ttl. */
    public static readonly lockTtl = 40000;

    public readonly server: RedisServer;
    public readonly tap: CommandTap;
    public readonly client: PlainClient;
    public readonly lock: RedisLock;
    public readonly cache: RedisCache;

    public heldKey = '';
    public heldToken = '';
    public leaseKey = '';
    public lease: LockLease = null as any;
    public cacheKey = '';
    public cacheText = '';
    /** How often the fixture's producer / withLock function ran during the current row. */
    public calls = 0;

    private _heldExpiry: ExpiryWindow = { lower: 0, upper: 0 };
    private _leaseExpiry: ExpiryWindow = { lower: 0, upper: 0 };
    private _leaseExpiresAt = 0;
    private _cacheExpiry: ExpiryWindow = { lower: 0, upper: 0 };
    private _generation = 0;
    private _scratch = 0;

    private constructor(server: RedisServer, tap: CommandTap, client: PlainClient,
        lock: RedisLock, cache: RedisCache) {
        this.server = server;
        this.tap = tap;
        this.client = client;
        this.lock = lock;
        this.cache = cache;
    }

    /**
     * Starts the private server, opens the components and takes the holds.
     *
     * @returns the ready fixture.
     */
    public static async start(): Promise<BadInputFixture> {
        const server = await RedisServer.start();
        const tap = await CommandTap.start(server);
        const client = createClient({ socket: { host: server.host, port: server.port } });
        client.on('error', () => undefined);
        await client.connect();
        const endpoint = ['connection.host', server.host, 'connection.port', server.port];
        // acquire_timeout 0: an acquire that skipped its validation on a busy key fails at once
        // (LOCK_TIMEOUT) instead of waiting 10 s, so such a row fails fast and leaves no waiter.
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples(...endpoint, 'options.acquire_timeout', 0,
            'options.lock_ttl', BadInputFixture.lockTtl, 'options.retry_timeout', 50));
        const cache = new RedisCache();
        cache.configure(ConfigParams.fromTuples(...endpoint, 'options.timeout', BadInputFixture.cacheTimeout,
            'options.fill_timeout', 2000));
        await lock.open(BadInputFixture.context);
        await cache.open(BadInputFixture.context);
        const fixture = new BadInputFixture(server, tap, client as unknown as PlainClient, lock, cache);
        await fixture.hold();
        return fixture;
    }

    /** Closes everything the fixture opened and stops the server. */
    public async stop(): Promise<void> {
        await this.lease?.release().catch(() => false);
        await this.lock.close(null);
        await this.cache.close(null);
        this.client.destroy();
        this.tap.stop();
        await this.server.stop();
    }

    /**
     * Configuration pointing at the private server.
     *
     * @param tuples    more key/value pairs.
     * @returns the configuration.
     */
    public config(...tuples: any[]): ConfigParams {
        return ConfigParams.fromTuples('connection.host', this.server.host, 'connection.port', this.server.port,
            // A row that wrongly connects must not wait for the default 5 s.
            'options.connect_timeout', 1000, ...tuples);
    }

    /**
     * A key no row used before (accepted rows change what they touch, so they never use the holds).
     *
     * @param label     a readable part of the key.
     * @returns the key.
     */
    public scratchKey(label: string): string {
        return 'bad-input:scratch:' + label + ':' + (++this._scratch);
    }

    /** A producer / withLock function that counts its calls in `calls`. */
    public readonly work = async (): Promise<string> => {
        this.calls++;
        return 'made';
    };

    /** Rebuilds the holds on new keys when the previous row broke one of them. */
    public async restore(): Promise<void> {
        this.calls = 0;
        try {
            await this.assertIntact();
        } catch {
            await this.lease?.release().catch(() => false);
            await this.lock.releaseLock(null, this.heldKey).catch(() => undefined);
            await this.hold();
        }
    }

    /**
     * Asserts the holds are as they were taken: same token or value in Redis, a PTTL no bad call
     * changed (it may only have run down with time), the lease still held and not aborted.
     */
    public async assertIntact(): Promise<void> {
        const before = Date.now();
        const [heldValue, heldPttl, leaseValue, leasePttl, cacheValue, cachePttl] = await Promise.all([
            this.client.get(this.heldKey), this.client.pTTL(this.heldKey),
            this.client.get(this.leaseKey), this.client.pTTL(this.leaseKey),
            this.client.get(this.cacheKey), this.client.pTTL(this.cacheKey)
        ]);
        const after = Date.now();
        assert.equal(heldValue, this.heldToken, 'the lock held on ' + this.heldKey + ' keeps its token');
        BadInputFixture.assertRunningDown(heldPttl, this._heldExpiry, before, after, 'held lock');
        assert.isTrue(this.lease.held, 'the lease on ' + this.leaseKey + ' is still held');
        assert.isFalse(this.lease.signal.aborted, 'the lease was not lost: ' + (this.lease.signal.reason as any)?.message);
        assert.equal(this.lease.expiresAt, this._leaseExpiresAt, 'the lease expiry did not move');
        assert.equal(leaseValue, this.lease.token, 'the leased lock keeps its token');
        BadInputFixture.assertRunningDown(leasePttl, this._leaseExpiry, before, after, 'leased lock');
        assert.equal(cacheValue, this.cacheText, 'the cached value of ' + this.cacheKey + ' is unchanged');
        BadInputFixture.assertRunningDown(cachePttl, this._cacheExpiry, before, after, 'cached value');
    }

    private async hold(): Promise<void> {
        const generation = ++this._generation;
        const context = BadInputFixture.context;
        const ttl = BadInputFixture.holdTtl;
        this.heldKey = 'bad-input:held:' + generation;
        this.leaseKey = 'bad-input:lease:' + generation;
        this.cacheKey = 'bad-input:cached:' + generation;

        let start = Date.now();
        assert.isTrue(await this.lock.tryAcquireLock(context, this.heldKey, ttl), 'fixture lock');
        this._heldExpiry = { lower: start + ttl, upper: Date.now() + ttl };
        this.heldToken = (await this.client.get(this.heldKey))!;

        start = Date.now();
        this.lease = await this.lock.acquire(context, this.leaseKey, { ttl, watchdog: false });
        this._leaseExpiry = { lower: start + ttl, upper: Date.now() + ttl };
        this._leaseExpiresAt = this.lease.expiresAt;

        start = Date.now();
        await this.cache.store(context, this.cacheKey, { kept: true, generation }, ttl);
        this._cacheExpiry = { lower: start + ttl, upper: Date.now() + ttl };
        this.cacheText = (await this.client.get(this.cacheKey))!;
    }

    /** A PTTL read between `before` and `after` of a key whose expiry lies in `window`. */
    private static assertRunningDown(pttl: number, window: ExpiryWindow, before: number, after: number,
        what: string): void {
        // Redis rounds to whole ms on both sides; 2 ms covers it.
        const low = window.lower - after - 2;
        const high = window.upper - before + 2;
        assert.isTrue(pttl >= low && pttl <= high,
            'the ' + what + "'s PTTL " + pttl + ' lies in [' + low + ', ' + high + '] (nothing extended or shortened it)');
    }
}

import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';
import { LogLevel } from 'pip-services4-observability-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { KeySpace } from '../../src/connect/KeySpace';
import { LockKeys } from '../../src/lock/LockKeys';
import { LockLease } from '../../src/lock/LockLease';
import { RedisLock } from '../../src/lock/RedisLock';
import { CacheFixture } from '../fixtures/CacheFixture';
import { LockFixture } from '../fixtures/LockFixture';
import { Observers } from '../support/Observers';
import { Polling } from '../support/Polling';
import { TestRedis } from '../support/TestRedis';

/** The raw commands the scenarios check Redis with (a node-redis cluster or sentinel client). */
export interface RawRedis {
    lLen(key: string): Promise<number>;
    exists(key: string): Promise<number>;
    pTTL(key: string): Promise<number>;
}

/** Keys of every shape a caller may use: plain, tagged, stray braces, an empty tag, non-ASCII. */
export const KEY_SHAPES = ['orders:42', '{user:7}:profile', 'a}b', '{}x', '}{y', 'x{', 'zähler:{}', 'ü{t}'];
/** Prefixes: none, plain, one with a tag of its own. */
export const PREFIXES = ['', 'svc:', '{svc}:'];

/** One grant in a run through a failover: when it was held and how it ended. */
export interface GrantRecord {
    key: string;
    fence: number;
    grantedAt: number;
    endedAt: number;
    // True when the lease said it was lost (signal aborted) or its release found the lock gone.
    lost: boolean;
}

/** What a run through a failover measured. */
export interface FailoverRun {
    grants: GrantRecord[];
    // Per key: ms from the end of the failover (promotion seen) to the key's first grant after it.
    recoveryMs: number[];
    // Ms from the start of the failover to the first grant of each key after the failover ended.
    outageMs: number[];
    errors: string[];
}

/**
 * Scenarios that RedisLock and RedisCache must pass on every topology, reused by the cluster and
 * sentinel suites: the toolkit's fixtures, hand-off order, fences, getOrSet, keys of every shape
 * with and without a prefix, and contention through a failover.
 */
export class TopologyScenarios {
    private readonly _config: (...tuples: any[]) => ConfigParams;
    private readonly _raw: RawRedis;
    private readonly _open: { close(context: any): Promise<void> }[] = [];

    /**
     * @param config    configuration of a component on the topology, with extra tuples.
     * @param raw       a client to check keys with.
     */
    public constructor(config: (...tuples: any[]) => ConfigParams, raw: RawRedis) {
        this._config = config;
        this._raw = raw;
    }

    /** Closes every component the scenarios opened. */
    public async close(): Promise<void> {
        await Promise.all(this._open.splice(0).map(c => c.close(null)));
    }

    /** A lock on the topology, opened; closed by [[close]]. */
    public async lock(...tuples: any[]): Promise<RedisLock> {
        return this.observedLock(null, ...tuples);
    }

    /** A lock on the topology that reports to `observers`, opened; closed by [[close]]. */
    public async observedLock(observers: Observers | null, ...tuples: any[]): Promise<RedisLock> {
        const lock = new RedisLock();
        lock.configure(this._config(...tuples));
        if (observers != null) lock.setReferences(observers.references());
        await lock.open(null);
        this._open.push(lock);
        return lock;
    }

    /** A cache on the topology, opened; closed by [[close]]. */
    public async cache(...tuples: any[]): Promise<RedisCache> {
        const cache = new RedisCache();
        cache.configure(this._config(...tuples));
        await cache.open(null);
        this._open.push(cache);
        return cache;
    }

    /** The toolkit's LockFixture and CacheFixture. */
    public async fixtures(): Promise<void> {
        const lockFixture = new LockFixture(await this.lock(), TestRedis.uniqueKey('fixture') + ':');
        await lockFixture.testTryAcquireLock();
        await lockFixture.testAcquireLock();
        await lockFixture.testReleaseLock();
        const cacheFixture = new CacheFixture(await this.cache(), TestRedis.uniqueKey('fixture') + ':');
        await cacheFixture.testStoreAndRetrieve();
        await cacheFixture.testRetrieveExpired();
        await cacheFixture.testRemove();
    }

    /**
     * Five waiters in five components queue on a held key; the release hands the lock to each in
     * arrival order, each woken by pub/sub (retry_timeout is 10 s), with fences strictly increasing.
     */
    public async handOffInOrder(key: string, ...tuples: any[]): Promise<void> {
        const holder = await this.lock(...tuples);
        const first = await holder.acquire(null, key, { ttl: 10000 });
        const order: number[] = [];
        const fences: number[] = [first.fence];
        const waiting: Promise<void>[] = [];
        const startedAt = Date.now();
        for (let i = 0; i < 5; i++) {
            const waiter = await this.lock('options.retry_timeout', 10000, ...tuples);
            waiting.push(waiter.acquire(null, key, { ttl: 10000, timeout: 20000 }).then(async lease => {
                order.push(i);
                fences.push(lease.fence);
                await lease.release();
            }));
            await this.queued(key, i + 1, tuples);
        }
        await first.release();
        await Promise.all(waiting);
        assert.deepEqual(order, [0, 1, 2, 3, 4], 'first come, first served');
        for (let i = 1; i < fences.length; i++) assert.isAbove(fences[i], fences[i - 1], 'fences strictly increase');
        assert.isBelow(Date.now() - startedAt, 10000, 'woken by pub/sub, not by the 10 s retry_timeout');
    }

    /**
     * Lock cycles arm no per-command timer of node-redis (`AbortSignal.timeout`, its default 5 s
     * command timeout): the library bounds calls itself, and a timer per command was the largest
     * client cost of a cycle.
     */
    public async armsNoCommandTimers(key: string): Promise<void> {
        const lock = await this.lock();
        await (await lock.acquire(null, key, { ttl: 5000 })).release();
        const timeout = AbortSignal.timeout;
        let armed = 0;
        AbortSignal.timeout = (ms: number) => { armed++; return timeout.call(AbortSignal, ms); };
        try {
            for (let i = 0; i < 10; i++) await (await lock.acquire(null, key, { ttl: 5000 })).release();
        } finally {
            AbortSignal.timeout = timeout;
        }
        assert.equal(armed, 0, 'timers armed by 10 lock cycles');
    }

    /** Waits until a key's waiter queue holds `count` waiters. */
    public async queued(key: string, count: number, tuples: any[] = []): Promise<void> {
        const queue = this.keysOf(key, tuples).queue;
        await Polling.until(count + ' waiter(s) queued on ' + key, async () => {
            const length = await this._raw.lLen(queue);
            return length >= count ? null : length + ' queued';
        }, 10000);
    }

    /** Two components fill a missing key at once: the producer runs once, both get its value. */
    public async getOrSetFillsOnce(key: string, ...tuples: any[]): Promise<void> {
        const [a, b] = [await this.cache(...tuples), await this.cache(...tuples)];
        let calls = 0;
        const produce = async () => { calls++; await new Promise(resolve => setTimeout(resolve, 50)); return 'made'; };
        const values = await Promise.all([a.getOrSet(null, key, 5000, produce), b.getOrSet(null, key, 5000, produce)]);
        assert.deepEqual(values, ['made', 'made']);
        assert.equal(calls, 1, 'filled once');
    }

    /**
     * For a key of every shape under every prefix: a contended cycle (holder, a queued waiter woken
     * by the release, a lease extended) and a getOrSet, with no cross-slot error, and nothing left
     * without a TTL.
     */
    public async keysOfEveryShape(): Promise<void> {
        for (const prefix of PREFIXES) {
            const tuples = prefix == '' ? [] : ['options.key_prefix', prefix];
            const [holder, waiter] = [await this.lock(...tuples), await this.lock(...tuples)];
            const cache = await this.cache(...tuples);
            for (const shape of KEY_SHAPES) {
                const key = shape + ':' + TestRedis.uniqueKey('shape');
                const context = 'key ' + JSON.stringify(key) + ' with prefix ' + JSON.stringify(prefix);
                const held = await holder.acquire(null, key, { ttl: 5000 });
                const next = waiter.acquire(null, key, { ttl: 5000, timeout: 10000 });
                await this.queued(key, 1, tuples);
                await held.extend(5000);
                await held.release();
                const lease = await next;
                assert.isAbove(lease.fence, held.fence, context + ': fence');
                await lease.release();
                assert.equal(await cache.getOrSet(null, key, 5000, () => 'v'), 'v', context + ': getOrSet');
                for (const name of Object.values(this.keysOf(key, tuples)).filter(v => typeof v == 'string')) {
                    assert.notEqual(await this._raw.pTTL(name), -1, context + ': ' + JSON.stringify(name) + ' has a TTL or is gone');
                }
            }
        }
    }

    /**
     * Workers in two components contend on two keys with watchdog leases while `failover` runs;
     * the run goes on until every key was granted `after` more times once the failover ended, and
     * the components logged the outage and the recovery.
     */
    public async contendThrough(failover: (keys: string[]) => Promise<void>, options: { workers?: number, after?: number } = {},
        ...tuples: any[]): Promise<FailoverRun> {
        const keys = [TestRedis.uniqueKey('failover-a'), TestRedis.uniqueKey('failover-b')];
        const observers = new Observers();
        const locks = [await this.observedLock(observers, ...tuples), await this.observedLock(observers, ...tuples)];
        const grants: GrantRecord[] = [];
        const errors: string[] = [];
        let failoverStartedAt = Infinity;
        let failoverEndedAt = Infinity;
        let stop = false;
        const after = options.after ?? 10;
        const grantedAfter = (key: string) => grants.filter(g => g.key == key && g.grantedAt > failoverEndedAt).length;

        const worker = async (lock: RedisLock, key: string) => {
            while (!stop) {
                let lease: LockLease;
                try {
                    lease = await lock.acquire(null, key, { ttl: 1000, timeout: 20000, watchdog: true });
                } catch (err: any) {
                    errors.push('acquire: ' + (err?.code ?? err));
                    if (err?.code == 'NOT_OPENED') return;
                    // A failure that comes at once must not spin this loop on microtasks alone.
                    await new Promise(resolve => setTimeout(resolve, 10));
                    continue;
                }
                const grantedAt = Date.now();
                await new Promise(resolve => setTimeout(resolve, 2));
                let released = true;
                try {
                    released = await lease.release();
                } catch (err: any) {
                    errors.push('release: ' + (err?.code ?? err));
                }
                grants.push({ key, fence: lease.fence, grantedAt, endedAt: Date.now(), lost: lease.signal.aborted || !released });
                if (keys.every(k => grantedAfter(k) >= after)) stop = true;
            }
        };
        const workers: Promise<void>[] = [];
        for (let i = 0; i < (options.workers ?? 4); i++) workers.push(worker(locks[i % 2], keys[i % keys.length]));
        await Polling.until('20 grants before the failover', async () => grants.length >= 20 ? null : grants.length + ' grants', 10000);
        failoverStartedAt = Date.now();
        await failover(keys);
        failoverEndedAt = Date.now();
        await Promise.race([Promise.all(workers), new Promise((_resolve, reject) => setTimeout(
            () => { stop = true; reject(new Error('the locks did not work again within 30 s of the failover')); }, 30000))]);
        // The components' loggers heard the outage and the recovery (the outage may be a node the
        // client stops using at once, so it is awaited, not assumed).
        await Polling.until('the outage and the recovery logged', async () => {
            const lost = observers.logger.at(LogLevel.Warn).some(e => /lost its connection/.test(e.message));
            const recovered = observers.logger.at(LogLevel.Info).some(e => /reconnected/.test(e.message));
            return lost && recovered ? null : 'lost logged: ' + lost + ', recovery logged: ' + recovered;
        }, 10000);
        const firstAfter = (key: string) => Math.min(...grants.filter(g => g.key == key && g.grantedAt > failoverEndedAt).map(g => g.grantedAt));
        return {
            grants, errors,
            recoveryMs: keys.map(key => firstAfter(key) - failoverEndedAt),
            outageMs: keys.map(key => firstAfter(key) - failoverStartedAt)
        };
    }

    /**
     * Checks a run: per key, fences strictly increase in grant order, and two grants of one key
     * overlap only where one of them said it was lost.
     */
    public static assertSafe(run: FailoverRun): void {
        const byKey = new Map<string, GrantRecord[]>();
        for (const grant of run.grants) byKey.set(grant.key, [...(byKey.get(grant.key) ?? []), grant]);
        for (const [key, grants] of byKey) {
            grants.sort((a, b) => a.fence - b.fence);
            for (let i = 1; i < grants.length; i++) {
                assert.isAbove(grants[i].fence, grants[i - 1].fence, key + ': no fence repeats');
                const [earlier, later] = [grants[i - 1], grants[i]];
                if (later.grantedAt < earlier.endedAt - 1 && !earlier.lost && !later.lost) {
                    assert.fail(key + ': fence ' + later.fence + ' granted while ' + earlier.fence + ' was held, and no loss was signalled');
                }
            }
            const inGrantOrder = [...grants].sort((a, b) => a.grantedAt - b.grantedAt);
            for (let i = 1; i < inGrantOrder.length; i++) {
                if (inGrantOrder[i].fence < inGrantOrder[i - 1].fence && inGrantOrder[i].grantedAt > inGrantOrder[i - 1].endedAt) {
                    assert.fail(key + ': fence went back after a failover: ' + inGrantOrder[i - 1].fence + ' then ' + inGrantOrder[i].fence);
                }
            }
        }
    }

    /** The names the lock uses for a key under the given configuration tuples (prefix only). */
    public keysOf(key: string, tuples: any[] = []): LockKeys {
        const at = tuples.indexOf('options.key_prefix');
        return new LockKeys(key, new KeySpace(at >= 0 ? tuples[at + 1] : undefined));
    }
}

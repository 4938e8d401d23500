import { assert } from 'chai';
import { References } from 'pip-services4-components-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { assertException, failureOf } from '../support/Errors';
import { Observers } from '../support/Observers';
import { TestRedis } from '../support/TestRedis';

suite('RedisCache observability', () => {
    const opened: RedisCache[] = [];

    async function cacheWith(references: References | null): Promise<RedisCache> {
        const cache = new RedisCache();
        cache.configure(await TestRedis.config('options.retry_timeout', 20));
        if (references != null) cache.setReferences(references);
        await cache.open(null);
        opened.push(cache);
        return cache;
    }

    teardown(async () => {
        await Promise.all(opened.splice(0).map(cache => cache.close(null)));
    });

    test('retrieve counts hits and misses', async () => {
        const observers = new Observers();
        const cache = await cacheWith(observers.references());
        const key = TestRedis.uniqueKey('obs-retrieve');
        assert.isNull(await cache.retrieve(null, key));
        await cache.store(null, key, { a: 1 }, 5000);
        assert.deepEqual(await cache.retrieve(null, key), { a: 1 });
        assert.deepEqual(await cache.retrieve(null, key), { a: 1 });
        assert.strictEqual(observers.counters.total('redis_cache.misses'), 1);
        assert.strictEqual(observers.counters.total('redis_cache.hits'), 2);
    });

    test('getOrSet: a miss fills (once, timed), then hits; get_or_set traced; the fill lock reports as redis_cache.fill_lock', async () => {
        const observers = new Observers();
        const cache = await cacheWith(observers.references());
        const key = TestRedis.uniqueKey('obs-fill');
        assert.strictEqual(await cache.getOrSet('trace-9', key, 5000, () => 'made'), 'made');
        assert.strictEqual(await cache.getOrSet(null, key, 5000, () => assert.fail('not again')), 'made');
        const { counters, tracer } = observers;
        assert.strictEqual(counters.total('redis_cache.misses'), 1, 'the re-read under the fill lock is not a second miss');
        assert.strictEqual(counters.total('redis_cache.hits'), 1);
        assert.strictEqual(counters.total('redis_cache.fills'), 1);
        assert.strictEqual(counters.timings('redis_cache.fill.wait_time'), 1);
        assert.strictEqual(counters.total('redis_cache.fill_lock.acquire.acquired'), 1);
        assert.strictEqual(counters.timings('redis_cache.fill_lock.hold_time'), 1);
        assert.strictEqual(counters.total('redis_lock.acquire.acquired'), 0, 'fill locks are not counted as RedisLock locks');
        const traces = tracer.of('redis_cache', 'get_or_set');
        assert.lengthOf(traces, 2);
        assert.strictEqual(traces[0].context.get('trace_id'), 'trace-9');
        assert.deepEqual(tracer.traces.filter(t => t.component == 'redis_cache.fill_lock').map(t => t.operation),
            ['acquire', 'release']);
    });

    test('concurrent misses in one component share one fill; each miss is counted and timed', async () => {
        const observers = new Observers();
        const cache = await cacheWith(observers.references());
        const key = TestRedis.uniqueKey('obs-shared');
        let runs = 0;
        const values = await Promise.all([1, 2, 3].map(() => cache.getOrSet(null, key, 5000, async () => ++runs)));
        assert.deepEqual(values, [1, 1, 1]);
        assert.strictEqual(observers.counters.total('redis_cache.misses'), 3);
        assert.strictEqual(observers.counters.total('redis_cache.fills'), 1);
        assert.strictEqual(observers.counters.timings('redis_cache.fill.wait_time'), 3);
    });

    test('a failing producer counts a failed fill and is traced as a failure with its own error', async () => {
        const observers = new Observers();
        const cache = await cacheWith(observers.references());
        const key = TestRedis.uniqueKey('obs-failing');
        const boom = new Error('producer broke');
        assert.strictEqual(await failureOf(() => cache.getOrSet(null, key, 5000, () => { throw boom; })), boom);
        assert.strictEqual(observers.counters.total('redis_cache.fill.failed'), 1);
        assert.strictEqual(observers.counters.total('redis_cache.fills'), 0);
        assert.strictEqual(observers.counters.timings('redis_cache.fill.wait_time'), 0);
        assert.strictEqual(observers.tracer.of('redis_cache', 'get_or_set')[0].error, boom);
    });

    test('a fill another component does not finish in time counts a timed-out fill', async () => {
        const observers = new Observers();
        const filler = await cacheWith(null);
        const cache = await cacheWith(observers.references());
        const key = TestRedis.uniqueKey('obs-fill-timeout');
        let release!: () => void;
        let started!: () => void;
        const producing = new Promise<void>(resolve => { started = resolve; });
        const slow = filler.getOrSet(null, key, 5000, () => {
            started();
            return new Promise<string>(resolve => { release = () => resolve('late'); });
        });
        await producing;
        const err = await failureOf(() => cache.getOrSet(null, key, 5000, () => 'mine', 100));
        assertException(err, 'ConflictException', 'FILL_TIMEOUT');
        release();
        assert.strictEqual(await slow, 'late');
        assert.strictEqual(observers.counters.total('redis_cache.fill.timed_out'), 1);
        assert.strictEqual(observers.counters.total('redis_cache.fill_lock.acquire.timed_out'), 1);
        assert.strictEqual(observers.tracer.of('redis_cache', 'get_or_set')[0].error, err);
    });

    test('without references nothing is counted or traced', async () => {
        const cache = await cacheWith(null);
        const key = TestRedis.uniqueKey('obs-cache-quiet');
        assert.strictEqual(await cache.getOrSet(null, key, 5000, () => 1), 1);
        const observe = (cache as any)._observe;
        assert.isFalse(observe.logging || observe.counting || observe.tracing);
    });
});

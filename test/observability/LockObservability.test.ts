import { assert } from 'chai';
import { createClient } from 'redis';
import { Context, Descriptor, References } from 'pip-services4-components-node';
import { LogLevel, NullCounters, NullLogger, NullTracer } from 'pip-services4-observability-node';

import { RedisLock } from '../../src/lock/RedisLock';
import { assertException, failureOf } from '../support/Errors';
import { MemoryCounters, Observers } from '../support/Observers';
import { TestRedis } from '../support/TestRedis';

suite('RedisLock observability', () => {
    const opened: RedisLock[] = [];
    let client: any;

    async function lockWith(references: References | null, ...tuples: any[]): Promise<RedisLock> {
        const lock = new RedisLock();
        lock.configure(await TestRedis.config(...tuples));
        if (references != null) lock.setReferences(references);
        await lock.open(null);
        opened.push(lock);
        return lock;
    }

    suiteSetup(async () => {
        const { host, port } = await TestRedis.endpoint();
        client = createClient({ socket: { host, port } });
        client.on('error', () => undefined);
        await client.connect();
    });

    teardown(async () => {
        await Promise.all(opened.splice(0).map(lock => lock.close(null)));
    });

    suiteTeardown(async () => {
        await client?.close();
    });

    test('a lease acquired and released: acquired, wait time, hold time; acquire and release traced', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-lease');
        const context = Context.fromTraceId('trace-1');
        const lease = await lock.acquire(context, key, { ttl: 5000 });
        assert.isTrue(await lease.release());
        const { counters, tracer } = observers;
        assert.strictEqual(counters.total('redis_lock.acquire.acquired'), 1);
        assert.strictEqual(counters.timings('redis_lock.acquire.wait_time'), 1);
        assert.strictEqual(counters.timings('redis_lock.hold_time'), 1);
        assert.strictEqual(counters.find('redis_lock.acquire.wait_time')!.type, 0, 'an Interval counter (endTiming)');
        assert.deepEqual(tracer.traces.map(t => [t.component, t.operation, t.error]),
            [['redis_lock', 'acquire', null], ['redis_lock', 'release', null]]);
        assert.strictEqual(tracer.traces[0].context, context, 'the caller\'s context reaches the tracer');
        assert.deepEqual(observers.logger.at(LogLevel.Warn), [], 'nothing went wrong');
    });

    test('the ILock methods are counted and traced the same way; a string context becomes a trace id', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-ilock');
        await lock.acquireLock('trace-2', key, 5000, 1000);
        await lock.releaseLock('trace-2', key);
        assert.isTrue(await lock.tryAcquireLock(null, key, 5000));
        await lock.releaseLock(null, key);
        const { counters, tracer } = observers;
        assert.strictEqual(counters.total('redis_lock.acquire.acquired'), 2);
        assert.strictEqual(counters.timings('redis_lock.acquire.wait_time'), 2);
        assert.strictEqual(counters.timings('redis_lock.hold_time'), 2);
        assert.deepEqual(tracer.traces.map(t => t.operation), ['acquire', 'release', 'acquire', 'release']);
        assert.strictEqual(tracer.traces[0].context.get('trace_id'), 'trace-2');
        assert.isNull(tracer.traces[2].context);
    });

    test('a busy lock: timed out counted; LOCK_TIMEOUT traced as a failure, tryAcquireLock\'s false as an answer', async () => {
        const observers = new Observers();
        const holder = await lockWith(null);
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-busy');
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        assert.isFalse(await lock.tryAcquireLock(null, key, 1000));
        const err = await failureOf(() => lock.acquireLock(null, key, 1000, 50));
        assertException(err, 'ConflictException', 'LOCK_TIMEOUT');
        await holder.releaseLock(null, key);
        const { counters, tracer } = observers;
        assert.strictEqual(counters.total('redis_lock.acquire.timed_out'), 2);
        assert.strictEqual(counters.total('redis_lock.acquire.acquired'), 0);
        assert.strictEqual(counters.timings('redis_lock.acquire.wait_time'), 0, 'only granted acquires are timed');
        const acquires = tracer.of('redis_lock', 'acquire');
        assert.lengthOf(acquires, 2);
        assert.isNull(acquires[0].error);
        assert.strictEqual(acquires[1].error, err, 'the trace records the very exception the caller got');
    });

    test('an aborted acquire is counted as aborted and traced with the signal\'s reason', async () => {
        const observers = new Observers();
        const holder = await lockWith(null);
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-abort');
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const controller = new AbortController();
        const waiting = failureOf(() => lock.acquire(null, key, { timeout: 10000, signal: controller.signal }));
        const reason = new Error('caller gave up');
        setImmediate(() => controller.abort(reason));
        assert.strictEqual(await waiting, reason);
        await holder.releaseLock(null, key);
        assert.strictEqual(observers.counters.total('redis_lock.acquire.aborted'), 1);
        assert.strictEqual(observers.counters.total('redis_lock.acquire.failed'), 0);
        assert.strictEqual(observers.tracer.of('redis_lock', 'acquire')[0].error, reason);
    });

    test('an acquire that fails otherwise is counted as failed', async () => {
        const observers = new Observers();
        const lock = new RedisLock();
        lock.configure(await TestRedis.config());
        lock.setReferences(observers.references());
        const err = await failureOf(() => lock.acquire(null, TestRedis.uniqueKey('obs-closed')));
        assertException(err, 'InvalidStateException', 'NOT_OPENED');
        assert.strictEqual(observers.counters.total('redis_lock.acquire.failed'), 1);
        const bad = await failureOf(() => lock.acquire(null, ''));
        assertException(bad, 'BadRequestException', 'INVALID_KEY');
        assert.strictEqual(observers.counters.total('redis_lock.acquire.failed'), 1, 'a refused argument is not an acquire');
    });

    test('a lease that expires: lost counted by reason, logged as a warning with the key and reason', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-expired');
        const lease = await lock.acquire('trace-3', key, { ttl: 100 });
        await new Promise(resolve => lease.signal.addEventListener('abort', resolve, { once: true }));
        const { counters, logger } = observers;
        assert.strictEqual(counters.total('redis_lock.lease.lost.expired'), 1);
        assert.strictEqual(counters.timings('redis_lock.hold_time'), 1, 'a lost lease\'s hold ends at the loss');
        const warnings = logger.at(LogLevel.Warn);
        assert.lengthOf(warnings, 1);
        assert.strictEqual(warnings[0].message, 'redis_lock lost its lease on lock ' + key + ': expired');
        assert.strictEqual(warnings[0].context.get('trace_id'), 'trace-3', 'logged with the acquirer\'s context');
        await lease.release();
        assert.strictEqual(counters.timings('redis_lock.hold_time'), 1, 'counted once per lease');
    });

    test('a lease taken over: extend fails, lost as not_held', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-taken');
        const lease = await lock.acquire(null, key, { ttl: 10000 });
        await client.set(key, 'someone-else');
        const err = await failureOf(() => lease.extend(10000));
        assertException(err, 'ConflictException', 'LOCK_NOT_HELD');
        await client.del(key);
        assert.strictEqual(observers.counters.total('redis_lock.extend.failed'), 1);
        assert.strictEqual(observers.counters.total('redis_lock.lease.lost.not_held'), 1);
        assert.match(observers.logger.at(LogLevel.Warn)[0].message, /lost its lease on lock .*: not_held$/);
    });

    test('extendLock of a lock not held counts a failed extend; one that works counts nothing', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const key = TestRedis.uniqueKey('obs-extend');
        assertException(await failureOf(() => lock.extendLock(null, key, 1000)), 'ConflictException', 'LOCK_NOT_HELD');
        assert.strictEqual(observers.counters.total('redis_lock.extend.failed'), 1);
        assert.isTrue(await lock.tryAcquireLock(null, key, 5000));
        await lock.extendLock(null, key, 5000);
        await lock.releaseLock(null, key);
        assert.strictEqual(observers.counters.total('redis_lock.extend.failed'), 1);
    });

    test('a watchdog lease that reaches max_hold is lost as max_hold', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        const lease = await lock.acquire(null, TestRedis.uniqueKey('obs-max-hold'), { ttl: 90, watchdog: true, maxHold: 120 });
        await new Promise(resolve => lease.signal.addEventListener('abort', resolve, { once: true }));
        assert.strictEqual(observers.counters.total('redis_lock.lease.lost.max_hold'), 1);
        assert.strictEqual(observers.counters.total('redis_lock.extend.failed'), 0, 'the renewals before it worked');
        await lease.release();
    });

    test('withLock is an acquire and a release', async () => {
        const observers = new Observers();
        const lock = await lockWith(observers.references());
        assert.strictEqual(await lock.withLock(null, TestRedis.uniqueKey('obs-with'), async () => 7, { ttl: 5000 }), 7);
        assert.deepEqual(observers.tracer.traces.map(t => t.operation), ['acquire', 'release']);
        assert.strictEqual(observers.counters.timings('redis_lock.hold_time'), 1);
    });

    test('without references nothing is recorded anywhere; with NullLogger/NullCounters/NullTracer nothing breaks', async () => {
        const quiet = await lockWith(null);
        const key = TestRedis.uniqueKey('obs-quiet');
        await (await quiet.acquire(null, key, { ttl: 5000 })).release();
        assert.deepEqual((quiet as any)._observe.logging || (quiet as any)._observe.counting || (quiet as any)._observe.tracing, false);

        // NullCounters has no endTiming: the toolkit's CompositeCounters would throw a TypeError
        // on it, so timings then go to stats, which every counters component has.
        const memory = new MemoryCounters();
        const nulls = await lockWith(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'null', 'default', '1.0'), new NullLogger(),
            new Descriptor('pip-services', 'counters', 'null', 'default', '1.0'), new NullCounters(),
            new Descriptor('pip-services', 'counters', 'memory', 'default', '1.0'), memory,
            new Descriptor('pip-services', 'tracer', 'null', 'default', '1.0'), new NullTracer()));
        await (await nulls.acquire(null, key, { ttl: 5000 })).release();
        assert.strictEqual(memory.timings('redis_lock.acquire.wait_time'), 1);
        assert.strictEqual(memory.find('redis_lock.acquire.wait_time')!.type, 2, 'a Statistics counter (stats)');
    });

    test('a logger, counters or tracer that throws never fails a lock operation', async () => {
        const failing = () => { throw new Error('observer broke'); };
        const lock = await lockWith(References.fromTuples(
            new Descriptor('my', 'logger', 'broken', 'default', '1.0'), { log: failing },
            new Descriptor('my', 'counters', 'broken', 'default', '1.0'),
            { increment: failing, endTiming: failing, stats: failing, incrementOne: failing },
            new Descriptor('my', 'tracer', 'broken', 'default', '1.0'), { trace: failing, failure: failing }));
        const key = TestRedis.uniqueKey('obs-broken');
        const lease = await lock.acquire(null, key, { ttl: 100 });
        await new Promise(resolve => lease.signal.addEventListener('abort', resolve, { once: true }));
        // Redis may hold the key a little past the lease's conservative expiry: release frees it by token.
        await lease.release();
        assert.isTrue(await lock.tryAcquireLock(null, key, 5000));
        await lock.releaseLock(null, key);
    });

    test('configured from references the way a container sets them, also after open', async () => {
        const observers = new Observers();
        const lock = await lockWith(null);
        lock.setReferences(observers.references());
        const key = TestRedis.uniqueKey('obs-late');
        await (await lock.acquire(null, key, { ttl: 5000 })).release();
        assert.strictEqual(observers.counters.total('redis_lock.acquire.acquired'), 1);
    });
});


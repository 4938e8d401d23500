import { assert } from 'chai';
import { ChildProcess, fork } from 'child_process';
import { once } from 'events';
import * as path from 'path';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { LockKeys } from '../../src/lock/LockKeys';
import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { assertException, failureOf } from '../support/Errors';
import { CommandTap, isCommandOn } from '../support/CommandTap';
import { StampedeProducer } from './support/StampedeProducer';

async function openCache(...tuples: any[]): Promise<RedisCache> {
    const cache = new RedisCache();
    cache.configure(await TestRedis.config(...tuples));
    await cache.open(null);
    return cache;
}

/** The next IPC message of a given type from a child. */
function nextMessage(child: ChildProcess, type: string): Promise<any> {
    return new Promise((resolve, reject) => {
        const onMessage = (message: any) => {
            if (message.type == 'failed') { cleanup(); reject(new Error('worker failed: ' + message.error)); }
            if (message.type != type) return;
            cleanup();
            resolve(message);
        };
        const onExit = (code: number) => { cleanup(); reject(new Error('worker exited with ' + code)); };
        const cleanup = () => { child.off('message', onMessage); child.off('exit', onExit); };
        child.on('message', onMessage);
        child.on('exit', onExit);
    });
}

suite('RedisCache getOrSet', () => {
    let cache: RedisCache;
    let other: RedisCache;
    let client: any;
    let tap: CommandTap;
    let producers: StampedeProducer;

    setup(async () => {
        cache = await openCache();
        other = await openCache();
        const endpoint = await TestRedis.endpoint();
        client = createClient({ socket: endpoint });
        client.on('error', () => undefined);
        await client.connect();
        tap = await CommandTap.start(endpoint);
        producers = await StampedeProducer.connect(endpoint);
    });

    teardown(async () => {
        producers.close();
        tap.stop();
        client.destroy();
        await cache.close(null);
        await other.close(null);
    });

    test('a hit returns the cached value and never calls the producer', async () => {
        const key = TestRedis.uniqueKey('hit');
        await other.store(null, key, { cached: true }, 5000);
        const value = await cache.getOrSet(null, key, 5000, () => { throw new Error('must not be called'); });
        assert.deepEqual(value, { cached: true });
    });

    test('a miss produces once, stores with the given timeout and releases the fill lock', async () => {
        const key = TestRedis.uniqueKey('miss');
        let calls = 0;
        const value = await cache.getOrSet(null, key, 4000, async () => { calls++; return [1, 2]; });
        assert.deepEqual(value, [1, 2]);
        assert.equal(calls, 1);
        assert.deepEqual(await other.retrieve(null, key), [1, 2]);
        const pttl = await client.pTTL(key);
        assert.isAbove(pttl, 3000);
        assert.isAtMost(pttl, 4000);
        assert.equal(await client.exists(new LockKeys(key, undefined, 'fill').lock), 0, 'lock released');
        assert.deepEqual(await cache.getOrSet<any>(null, key, 4000, () => { calls++; return 'again'; }), [1, 2]);
        assert.equal(calls, 1, 'the second call is a hit');
    });

    test('20 concurrent callers over 2 components call the producer exactly once per burst', async () => {
        for (let burst = 0; burst < 3; burst++) {
            const key = TestRedis.uniqueKey('stampede');
            const counter = key + ':calls';
            const gate = key + ':gate';
            const produce = producers.producer(counter, gate, { burst });
            // 20 misses plus the winner's re-read after taking the lock: every caller has missed
            // before the producer may finish.
            const allMissed = tap.waitFor(line => isCommandOn(line, 'GET', key), 21);
            const calls = Array.from({ length: 20 }, (_, i) => (i % 2 == 0 ? cache : other).getOrSet(null, key, 10000, produce));
            await allMissed;
            await client.lPush(gate, Array(20).fill('open'));   // enough for every producer, should more than one run
            const values = await Promise.all(calls);
            assert.equal(Number(await client.get(counter)), 1, 'producer calls in burst ' + burst);
            for (const value of values) assert.deepEqual(value, { burst });
        }
    });

    test('20 concurrent callers over 2 processes call the producer exactly once per burst', async () => {
        const endpoint = await TestRedis.endpoint();
        const child = fork(path.join(__dirname, 'support', 'GetOrSetWorker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        try {
            const ready = nextMessage(child, 'ready');
            child.send({ type: 'open', config: ['connection.host', endpoint.host, 'connection.port', endpoint.port], endpoint });
            await ready;
            for (let burst = 0; burst < 3; burst++) {
                const key = TestRedis.uniqueKey('stampede-ipc');
                const counter = key + ':calls';
                const gate = key + ':gate';
                const allMissed = tap.waitFor(line => isCommandOn(line, 'GET', key), 21);
                const started = nextMessage(child, 'started');
                const results = nextMessage(child, 'results');
                child.send({ type: 'burst', key, counter, gate, callers: 10, value: { burst } });
                await started;
                const produce = producers.producer(counter, gate, { burst });
                const local = Array.from({ length: 10 }, () => cache.getOrSet(null, key, 10000, produce));
                await allMissed;
                await client.lPush(gate, Array(20).fill('open'));   // enough for every producer, should more than one run
                const values = await Promise.all(local);
                const remote = await results;
                assert.deepEqual(remote.errors, []);
                assert.equal(Number(await client.get(counter)), 1, 'producer calls in burst ' + burst);
                for (const value of [...values, ...remote.values]) assert.deepEqual(value, { burst });
                assert.lengthOf(remote.values, 10);
            }
        } finally {
            const exited = once(child, 'exit');
            if (child.connected) child.send({ type: 'close' });
            else child.kill();
            await exited;
        }
    });

    test('a failing producer: its caller gets the error unchanged, nothing is cached, the lock is released', async () => {
        const key = TestRedis.uniqueKey('failing');
        const failure = new Error('backend down');
        const err = await failureOf(() => cache.getOrSet(null, key, 5000, async () => { throw failure; }));
        assert.strictEqual(err, failure);
        assert.equal(await client.exists(key), 0, 'nothing cached');
        assert.equal(await client.exists(new LockKeys(key, undefined, 'fill').lock), 0, 'lock released');
        assert.equal(await other.getOrSet(null, key, 5000, () => 'recovered'), 'recovered', 'the next caller produces');
    });

    for (const where of ['another component', 'the same component']) test('when the filler fails, a caller waiting in ' + where + ' takes over and produces', async () => {
        const second = where == 'the same component' ? cache : other;
        const key = TestRedis.uniqueKey('takeover');
        const gate = key + ':gate';
        let calls = 0;
        const produce = async () => {
            calls++;
            if (calls == 1) {
                await producers.producer(key + ':calls', gate, null)();
                throw new Error('first fill fails');
            }
            return 'second fill';
        };
        const bothMissed = tap.waitFor(line => isCommandOn(line, 'GET', key), 3);
        const outcomes = Promise.all([
            cache.getOrSet(null, key, 5000, produce).then(v => ({ v }), e => ({ e })),
            second.getOrSet(null, key, 5000, produce).then(v => ({ v }), e => ({ e }))
        ]);
        await bothMissed;
        await client.lPush(gate, Array(20).fill('open'));   // enough for every producer, should more than one run
        const settled = await outcomes;
        assert.equal(calls, 2);
        const failed = settled.filter((o: any) => o.e != null);
        assert.lengthOf(failed, 1);
        assert.equal((failed[0] as any).e.message, 'first fill fails');
        assert.sameDeepMembers(settled.filter((o: any) => o.e == null), [{ v: 'second fill' }]);
        assert.equal(await cache.retrieve(null, key), 'second fill');
    });

    test('a waiter gives up after the fill timeout with ConflictException FILL_TIMEOUT', async () => {
        const key = TestRedis.uniqueKey('fill-timeout');
        await client.set(new LockKeys(key, undefined, 'fill').lock, 'someone-else', { expiration: { type: 'PX', value: 10000 } });
        let called = false;
        const started = Date.now();
        const err = await failureOf(() => cache.getOrSet('trace-9', key, 5000, () => { called = true; return 'v'; }, 300));
        assertException(err, 'ConflictException', 'FILL_TIMEOUT');
        assert.equal(err.details.get('key'), key);
        assert.equal(err.trace_id, 'trace-9');
        assert.isFalse(called);
        assert.isBelow(Date.now() - started, 2000);
        assert.equal(await client.get(new LockKeys(key, undefined, 'fill').lock), 'someone-else', 'the other holder keeps its lock');
    });

    test('options.fill_timeout is the default fill timeout', async () => {
        const quick = await openCache('options.fill_timeout', 200);
        try {
            const key = TestRedis.uniqueKey('fill-timeout-option');
            await client.set(new LockKeys(key, undefined, 'fill').lock, 'someone-else', { expiration: { type: 'PX', value: 10000 } });
            const started = Date.now();
            assertException(await failureOf(() => quick.getOrSet(null, key, 5000, () => 'v')), 'ConflictException', 'FILL_TIMEOUT');
            assert.isBelow(Date.now() - started, 1500);
        } finally {
            await quick.close(null);
        }
    });

    test('a waiter whose fill timeout passes still returns a value that appeared meanwhile', async () => {
        const key = TestRedis.uniqueKey('late');
        await client.set(new LockKeys(key, undefined, 'fill').lock, 'someone-else', { expiration: { type: 'PX', value: 10000 } });
        const missed = tap.waitFor(line => isCommandOn(line, 'GET', key), 1);
        const pending = cache.getOrSet(null, key, 5000, () => 'mine', 300);
        await missed;
        await other.store(null, key, 'theirs', 5000);
        assert.equal(await pending, 'theirs');
    });

    test('a null result is returned but not cached', async () => {
        const key = TestRedis.uniqueKey('null-result');
        let calls = 0;
        assert.isNull(await cache.getOrSet(null, key, 5000, () => { calls++; return null; }));
        assert.isUndefined(await cache.getOrSet(null, key, 5000, () => { calls++; return undefined; }));
        assert.equal(calls, 2);
        assert.equal(await client.exists(key), 0);
    });

    test('a produced value JSON cannot represent is BadRequestException INVALID_VALUE; the lock is released', async () => {
        const key = TestRedis.uniqueKey('bad-product');
        assertException(await failureOf(() => cache.getOrSet(null, key, 5000, () => 5n)), 'BadRequestException', 'INVALID_VALUE');
        assert.equal(await client.exists(key), 0);
        assert.equal(await client.exists(new LockKeys(key, undefined, 'fill').lock), 0);
    });
});

suite('RedisCache getOrSet round trips', () => {
    let server: RedisServer;

    suiteSetup(async () => { server = await RedisServer.start(); });
    suiteTeardown(async () => { await server.stop(); });

    test('a hit costs exactly one GET', async () => {
        const cache = new RedisCache();
        cache.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port));
        await cache.open(null);
        const tap = await CommandTap.start(server);
        try {
            await cache.store(null, 'hit-key', 'cached', 5000);
            const from = await tap.mark();
            assert.equal(await cache.getOrSet(null, 'hit-key', 5000, () => 'produced'), 'cached');
            const to = await tap.mark();
            const commands = tap.between(from, to);
            assert.lengthOf(commands, 1, commands.join('\n'));
            assert.isTrue(isCommandOn(commands[0], 'GET', 'hit-key'), commands[0]);
        } finally {
            tap.stop();
            await cache.close(null);
        }
    });
});

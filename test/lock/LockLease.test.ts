import { assert } from 'chai';
import { fork } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../../src/lock/RedisLock';
import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { assertException, failureOf } from '../support/Errors';

async function openLock(...tuples: any[]): Promise<RedisLock> {
    const lock = new RedisLock();
    lock.configure(await TestRedis.config(...tuples));
    await lock.open(null);
    return lock;
}

function lossOf(signal: AbortSignal): Promise<any> {
    return signal.aborted ? Promise.resolve(signal.reason) : once(signal, 'abort').then(() => signal.reason);
}

suite('LockLease', () => {
    let lock: RedisLock;
    let other: RedisLock;
    let client: ReturnType<typeof createClient>;

    setup(async () => {
        lock = await openLock();
        other = await openLock();
        client = createClient({ socket: await TestRedis.endpoint() });
        client.on('error', () => undefined);
        await client.connect();
    });

    teardown(async () => {
        client.destroy();
        await lock.close(null);
        await other.close(null);
    });

    test('the seed example: acquire with the configured defaults, release with releaseLock', async () => {
        const key = TestRedis.uniqueKey('key1');
        const lease = await lock.acquire('123', key);
        assert.equal(await client.get(key), lease.token);
        const pttl = await client.pTTL(key);
        assert.isAbove(pttl, 25000, 'options.lock_ttl defaults to 30 s');
        await lock.releaseLock('123', key);
        assert.isNull(await client.get(key));
        assert.isFalse(lease.held);
    });

    test('a lease knows its key, token, fence and expiry', async () => {
        const key = TestRedis.uniqueKey('lease');
        const before = Date.now();
        const lease = await lock.acquire(null, key, { ttl: 2000 });
        const after = Date.now();
        assert.equal(lease.key, key);
        assert.match(lease.token, /^[0-9a-f]{12}\.[0-9a-f]{24}$/);
        assert.isAbove(lease.fence, 0);
        assert.isAtLeast(lease.expiresAt, before + 2000);
        assert.isAtMost(lease.expiresAt, after + 2000, 'computed from the time before the request');
        assert.isFalse(lease.signal.aborted);
        assert.isTrue(await lease.release());
        assert.isFalse(await lease.release(), 'a second release does nothing');
        assert.isFalse(lease.signal.aborted, 'releasing is not losing');
    });

    test('fences strictly increase per key', async () => {
        const key = TestRedis.uniqueKey('fence');
        const fences: number[] = [];
        for (let i = 0; i < 5; i++) {
            const lease = await (i % 2 == 0 ? lock : other).acquire(null, key, { ttl: 1000 });
            fences.push(lease.fence);
            await lease.release();
        }
        for (let i = 1; i < fences.length; i++) assert.isAbove(fences[i], fences[i - 1]);
    });

    test('fences increase across 2 processes', async () => {
        const key = TestRedis.uniqueKey('fence-procs');
        const list = key + ':observed';
        const { host, port } = await TestRedis.endpoint();
        const cycles = 30;
        const child = fork(join(__dirname, 'support', 'FenceWorker.js'), [], { stdio: 'inherit' });
        try {
            child.send({ host, port, key, list, cycles });
            const [ready] = await once(child, 'message');
            assert.isTrue(ready.ready, JSON.stringify(ready));
            const childDone = once(child, 'message');
            child.send({ go: true });
            for (let i = 0; i < cycles; i++) {
                const lease = await lock.acquire(null, key, { ttl: 5000, timeout: 10000 });
                await client.rPush(list, String(lease.fence));
                await lease.release();
            }
            const [done] = await childDone;
            assert.isTrue(done.done, JSON.stringify(done));
        } finally {
            child.kill();
        }
        const observed = (await client.lRange(list, 0, -1)).map(Number);
        assert.lengthOf(observed, 2 * cycles);
        for (let i = 1; i < observed.length; i++) {
            assert.isAbove(observed[i], observed[i - 1], 'fence order = hold order, at ' + i);
        }
    });

    test('extend moves the expiry; extending a released lease fails with LOCK_NOT_HELD', async () => {
        const key = TestRedis.uniqueKey('extend');
        const lease = await lock.acquire(null, key, { ttl: 500 });
        await lease.extend(20000);
        assert.isAbove(await client.pTTL(key), 10000);
        assert.isAbove(lease.expiresAt, Date.now() + 10000);
        await lease.release();
        assertException(await failureOf(() => lease.extend(1000)), 'ConflictException', 'LOCK_NOT_HELD');
    });

    test('extend by a non-owner fails and changes nothing', async () => {
        const key = TestRedis.uniqueKey('extend-other');
        assert.isTrue(await lock.tryAcquireLock(null, key, 1000));
        const err = await failureOf(() => other.extendLock(null, key, 60000));
        assertException(err, 'ConflictException', 'LOCK_NOT_HELD');
        assert.equal(err.details.get('key'), key);
        assert.isAtMost(await client.pTTL(key), 1000);
        await lock.extendLock(null, key, 60000);
        assert.isAbove(await client.pTTL(key), 30000, 'the owner can extend');
        await lock.releaseLock(null, key);
    });

    test('a lease whose key was taken over cannot extend and signals the loss', async () => {
        const key = TestRedis.uniqueKey('taken');
        const lease = await lock.acquire(null, key, { ttl: 1000 });
        await client.set(key, 'someone-else');
        assertException(await failureOf(() => lease.extend()), 'ConflictException', 'LOCK_NOT_HELD');
        const loss = await lossOf(lease.signal);
        assertException(loss, 'ConflictException', 'LOCK_LOST');
        assert.equal(loss.details.get('reason'), 'not_held');
        assert.isFalse(await lease.release());
        assert.equal(await client.get(key), 'someone-else', 'never deletes the new owner\'s lock');
    });

    test('without a watchdog the signal fires when the TTL runs out', async () => {
        const key = TestRedis.uniqueKey('expires');
        const lease = await lock.acquire(null, key, { ttl: 200 });
        const loss = await lossOf(lease.signal);
        assertException(loss, 'ConflictException', 'LOCK_LOST');
        assert.equal(loss.details.get('reason'), 'expired');
        assert.isAtLeast(Date.now(), lease.expiresAt);
    });

    test('the watchdog keeps a lease past 3 TTLs', async () => {
        const key = TestRedis.uniqueKey('watchdog');
        const lease = await lock.acquire(null, key, { ttl: 300, watchdog: true });
        await new Promise(resolve => setTimeout(resolve, 1000));   // the passing time is what is tested
        assert.isFalse(lease.signal.aborted);
        assert.equal(await client.get(key), lease.token);
        assert.isAbove(await client.pTTL(key), 0);
        assert.isFalse(await other.tryAcquireLock(null, key, 1000));
        assert.isTrue(await lease.release());
    });

    test('the watchdog stops at max_hold and the lease then expires', async () => {
        const key = TestRedis.uniqueKey('max-hold');
        const started = Date.now();
        const lease = await lock.acquire(null, key, { ttl: 300, watchdog: true, maxHold: 700 });
        const loss = await lossOf(lease.signal);
        assert.equal(loss.details.get('reason'), 'max_hold');
        assert.isAtLeast(Date.now() - started, 650);
        // Redis expires the key at most a few ms after the lease's conservative expiresAt.
        const pttl = await client.pTTL(key);
        assert.isTrue(pttl == -2 || pttl <= 50, 'no renewal past max_hold, pttl ' + pttl);
    });

    test('the watchdog signals the loss when the key is deleted behind its back', async () => {
        const key = TestRedis.uniqueKey('deleted');
        const lease = await lock.acquire(null, key, { ttl: 300, watchdog: true });
        await client.del(key);
        const loss = await lossOf(lease.signal);
        assert.equal(loss.code, 'LOCK_LOST');
        assert.equal(loss.details.get('reason'), 'not_held');
    });

    test('withLock runs the function under a lease and releases it', async () => {
        const key = TestRedis.uniqueKey('with');
        const result = await lock.withLock(null, key, async (signal, lease) => {
            assert.instanceOf(signal, AbortSignal);
            assert.equal(await client.get(key), lease.token);
            return 42;
        });
        assert.equal(result, 42);
        assert.isNull(await client.get(key));
    });

    test('withLock releases when the function throws and rethrows the function\'s own error', async () => {
        const key = TestRedis.uniqueKey('with-error');
        const mine = new Error('work failed');
        const err = await failureOf(() => lock.withLock(null, key, async () => {
            await client.del(key);   // even if the release then finds nothing to release
            throw mine;
        }));
        assert.strictEqual(err, mine);
        const again = await lock.withLock(null, key, async () => 'free again', { timeout: 0 });
        assert.equal(again, 'free again');
    });

    test('await using releases the lease when the block ends, also when it throws', async () => {
        const key = TestRedis.uniqueKey('using');
        {
            await using lease = await lock.acquire(null, key, { ttl: 10000 });
            assert.equal(await client.get(key), lease.token);
        }
        assert.isNull(await client.get(key), 'released at the end of the block');
        const failure = new Error('work failed');
        const err = await failureOf(async () => {
            await using lease = await lock.acquire(null, key, { ttl: 10000 });
            assert.equal(await client.get(key), lease.token);
            throw failure;
        });
        assert.strictEqual(err, failure, 'the block\'s own error');
        assert.isNull(await client.get(key), 'released although the block threw');
    });

    test('bad lease arguments get BadRequestException', async () => {
        assertException(await failureOf(() => lock.acquire(null, '')), 'BadRequestException', 'INVALID_KEY');
        assertException(await failureOf(() => lock.acquire(null, 'k', { ttl: 0 })), 'BadRequestException', 'INVALID_TTL');
        assertException(await failureOf(() => lock.acquire(null, 'k', { timeout: -1 })), 'BadRequestException', 'INVALID_TIMEOUT');
    });
});

suite('LockLease when Redis stays down', () => {
    test('the watchdog retries, then signals renewal_failed with the cause at expiry', async () => {
        const server = await RedisServer.start();
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port,
            'options.command_timeout', 200, 'options.reconnect_max_delay', 100));
        await lock.open(null);
        try {
            const lease = await lock.acquire(null, 'down', { ttl: 600, watchdog: true });
            await server.stop();
            const loss = await lossOf(lease.signal);
            assert.equal(loss.code, 'LOCK_LOST');
            assert.equal(loss.details.get('reason'), 'renewal_failed');
            assert.isNotEmpty(loss.cause);
            assert.isAtLeast(Date.now(), lease.expiresAt);
        } finally {
            await lock.close(null);
            await server.stop();
        }
    });
});

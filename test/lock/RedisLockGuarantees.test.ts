import { assert } from 'chai';
import { fork } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { LockKeys } from '../../src/lock/LockKeys';
import { RedisLock } from '../../src/lock/RedisLock';
import { CommandTap } from '../support/CommandTap';
import { assertException, failureOf } from '../support/Errors';
import { RedisServer } from '../support/RedisServer';

// Each test gets a private server: they restart, freeze and scan it.
function configOf(server: RedisServer, ...tuples: any[]): ConfigParams {
    return ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port, ...tuples);
}

async function openLock(server: RedisServer, ...tuples: any[]): Promise<RedisLock> {
    const lock = new RedisLock();
    lock.configure(configOf(server, ...tuples));
    await lock.open(null);
    return lock;
}

async function clientOf(server: RedisServer): Promise<any> {
    const client = createClient({ socket: { host: server.host, port: server.port, reconnectStrategy: 50 } });
    client.on('error', () => undefined);
    await client.connect();
    return client;
}

/** Polls Redis until `check` holds: there is no event to wait on for a key's state. */
async function until(check: () => Promise<boolean>, what: string, limitMs = 5000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
        if (await check()) return;
        await new Promise(resolve => setTimeout(resolve, 5));
    }
    assert.fail(what);
}

/** Every key on the server with its PTTL (-1: no TTL). */
async function keysWithTtl(client: any): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const key of await client.keys('*')) result[key] = await client.pTTL(key);
    return result;
}

suite('RedisLock guarantees', () => {
    let server: RedisServer;
    let client: any;
    const components: { close(context: any): Promise<void> }[] = [];

    async function lockOn(...tuples: any[]): Promise<RedisLock> {
        const lock = await openLock(server, ...tuples);
        components.push(lock);
        return lock;
    }

    setup(async () => {
        server = await RedisServer.start();
        client = await clientOf(server);
    });

    teardown(async () => {
        await Promise.all(components.splice(0).map(c => c.close(null)));
        client.destroy();
        await server.stop();
    });

    test('fences never go back when Redis restarts without persistence', async () => {
        const lock = await lockOn('options.reconnect_max_delay', 50);
        const before: number[] = [];
        for (let i = 0; i < 3; i++) {
            const lease = await lock.acquire(null, 'restart-fence', { ttl: 10000 });
            before.push(lease.fence);
            await lease.release();
        }
        await server.restart();
        const after = await lock.acquire(null, 'restart-fence', { ttl: 10000, timeout: 5000 });
        assert.isAbove(after.fence, Math.max(...before));
        assert.isTrue(Number.isSafeInteger(after.fence));
        await after.release();
    });

    test('locking, waiting, giving up and filling leave no key without a TTL', async () => {
        const lock = await lockOn('options.retry_timeout', 50);
        const other = await lockOn('options.retry_timeout', 50);
        // Uncontended cycles on many keys.
        for (let i = 0; i < 20; i++) {
            const lease = await lock.acquire(null, 'plain:' + i, { ttl: 10000 });
            await lease.release();
        }
        // A contended key with a waiter that gives up and one that gets it.
        const held = await lock.acquire(null, 'contended', { ttl: 10000 });
        const givesUp = other.acquire(null, 'contended', { timeout: 100 }).catch(err => err);
        const getsIt = other.acquire(null, 'contended', { timeout: 5000 });
        assertException(await givesUp, 'ConflictException', 'LOCK_TIMEOUT');
        await held.release();
        await (await getsIt).release();
        // A waiter whose process dies without leaving the queue.
        const blocker = await lock.acquire(null, 'dead-waiter', { ttl: 10000 });
        const child = fork(join(__dirname, 'support', 'QueuedWaiter.js'), [], { stdio: 'inherit' });
        child.send({ host: server.host, port: server.port, key: 'dead-waiter', retryTimeout: 50 });
        await once(child, 'message');
        await until(async () => await client.lLen(new LockKeys('dead-waiter').queue) == 1, 'the waiter queued');
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        await blocker.release();
        // A cache fill.
        const cache = new RedisCache();
        cache.configure(configOf(server));
        await cache.open(null);
        components.push(cache);
        await cache.getOrSet(null, 'cached', 60000, () => 'value');

        const keys = await keysWithTtl(client);
        for (const [key, pttl] of Object.entries(keys)) {
            assert.isTrue(pttl > 0, 'key ' + JSON.stringify(key) + ' has no TTL (' + pttl + ')');
        }
    });

    test('a user key that looks like a companion key locks independently; NUL is refused', async () => {
        const lock = await lockOn();
        const a = await lock.acquire(null, 'k', { ttl: 10000 });
        for (const lookalike of ['{k}:fence', '{k}:queue', '{k}:waiters', '{k}:fill-lock']) {
            const b = await lock.acquire(null, lookalike, { ttl: 10000, timeout: 0 });
            assert.equal(await client.get(lookalike), b.token);
            await b.release();
        }
        const again = await lock.acquire(null, '{k}:fence', { ttl: 10000, timeout: 0 });
        await again.release();
        await a.release();
        const tap = await CommandTap.start(server);
        try {
            const from = await tap.mark();
            const err = await failureOf(() => lock.acquire(null, 'k\u0000fence', { timeout: 0 }));
            assertException(err, 'BadRequestException', 'INVALID_KEY');
            const to = await tap.mark();
            assert.deepEqual(tap.between(from, to), [], 'nothing sent');
        } finally {
            tap.stop();
        }
    });

    test('an acquire that fails inside its script leaves no lock owned by nobody', async () => {
        const lock = await lockOn();
        const keys = new LockKeys('broken');
        await client.hSet(keys.fence, 'not', 'a string');
        const err = await failureOf(() => lock.acquire(null, 'broken', { ttl: 10000, timeout: 0 }));
        assertException(err, 'InternalException', 'REDIS_ERROR');
        assert.isNull(await client.get('broken'), 'the lock was not taken');
    });

    test('lease.extend validates its ttl like extendLock and sends nothing for a bad one', async () => {
        const lock = await lockOn();
        const lease = await lock.acquire(null, 'extend-bad', { ttl: 10000 });
        const tap = await CommandTap.start(server);
        try {
            for (const ttl of [0, -1, 1.5, NaN, Infinity, '100', null, 2 ** 53]) {
                const from = await tap.mark();
                const err = await failureOf(() => lease.extend(ttl as any));
                assertException(err, 'BadRequestException', 'INVALID_TTL');
                const to = await tap.mark();
                assert.deepEqual(tap.between(from, to), [], 'nothing sent for ' + String(ttl));
            }
        } finally {
            tap.stop();
        }
        assert.equal(await client.get('extend-bad'), lease.token, 'the lock is intact');
        assert.isTrue(lease.held);
        assert.isNumber(lease.expiresAt);
        await lease.extend();
        assert.isTrue(await lease.release());
    });

    test('lease.held is false once the TTL passed, even before any timer could run', async () => {
        const lock = await lockOn();
        // A TTL long enough for the acquire itself on a loaded machine; then the loop is blocked past it.
        const lease = await lock.acquire(null, 'blocked-loop', { ttl: 400 });
        assert.isTrue(lease.held);
        const until = Date.now() + 450;
        while (Date.now() < until) { /* the event loop is blocked, as by a long GC or a paused process */ }
        assert.isFalse(lease.held, 'held must not outlive the lease');
        await lossOf(lease.signal);
    });

    test('releasing a lease that expired locally still frees what Redis holds for its token', async () => {
        const lock = await lockOn();
        const lease = await lock.acquire(null, 'expired-release', { ttl: 300 });
        // Redis keeps the lock a little longer than the lease's conservative expiry (and much longer
        // when the grant was delayed by an outage): give it a long TTL behind the lease's back.
        await client.pExpire('expired-release', 60000);
        await lossOf(lease.signal);
        assert.isFalse(lease.held);
        assert.isTrue(await lease.release(), 'Redis still held it for this token');
        assert.equal(await client.exists('expired-release'), 0);
        assert.isFalse(await lease.release(), 'a second release does nothing');
    });

    test('a TTL beyond the range of Node timers is held, not lost at once', async () => {
        const lock = await lockOn();
        const lease = await lock.acquire(null, 'long-ttl', { ttl: 2 ** 31 + 1000, watchdog: true });
        await new Promise(resolve => setTimeout(resolve, 50));   // what is tested is that nothing fires
        assert.isFalse(lease.signal.aborted, String(lease.signal.reason?.message));
        assert.isTrue(lease.held);
        assert.isAbove(await client.pTTL('long-ttl'), 2 ** 31);
        assert.isTrue(await lease.release());
    });

    test('a waiting acquire rides out a frozen server until its own timeout', async () => {
        const holder = await lockOn();
        const waiter = await lockOn('options.command_timeout', 300, 'options.reconnect_max_delay', 50,
            'options.retry_timeout', 50);
        const held = await holder.acquire(null, 'frozen-wait', { ttl: 1500 });
        server.pause();
        // Its first attempt goes unanswered past the command timeout.
        const waiting = waiter.acquire(null, 'frozen-wait', { ttl: 5000, timeout: 8000 });
        await new Promise(resolve => setTimeout(resolve, 1000));   // the fault: frozen past the command timeout
        server.resume();
        const lease = await waiting;
        assert.isAbove(lease.fence, held.fence);
        await lease.release();
    });

    test('an acquire whose reply was lost to a frozen server is released when the connection recovers', async () => {
        const lock = await lockOn('options.command_timeout', 300, 'options.reconnect_max_delay', 50);
        // Load the scripts, so a buffered script runs (not a NOSCRIPT).
        assert.isTrue(await lock.tryAcquireLock(null, 'warm-up', 1000));
        await lock.releaseLock(null, 'warm-up');
        const tap = await CommandTap.start(server);
        try {
            server.pause();
            const err = await failureOf(() => lock.tryAcquireLock(null, 'lost-reply', 60000));
            assertException(err, 'ConnectionException', 'COMMAND_TIMEOUT');
            // The claim (SET NX) that tryAcquireLock sends.
            const ran = tap.waitFor(line => /"set"/i.test(line) && line.includes('"lost-reply"'), 1);
            server.resume();
            // Redis runs the buffered acquire once thawed: the lock is then held by a token nobody waits for.
            await ran;
            await until(async () => await client.exists('lost-reply') == 0, 'the orphaned lock was released');
            let relocked = false;
            await until(async () => {
                relocked = await lock.tryAcquireLock(null, 'lost-reply', 1000).catch(() => false);
                return relocked;
            }, 'the component locks the key again');
            await lock.releaseLock(null, 'lost-reply');
        } finally {
            tap.stop();
        }
    });

    test('a waiting acquire on a frozen server gives up at its own timeout; what it left is released later', async () => {
        const lock = await lockOn('options.command_timeout', 3000, 'options.reconnect_max_delay', 50);
        assert.isTrue(await lock.tryAcquireLock(null, 'warm-up', 1000));
        await lock.releaseLock(null, 'warm-up');
        const tap = await CommandTap.start(server);
        try {
            server.pause();
            const started = Date.now();
            const err = await failureOf(() => lock.acquire(null, 'abandoned', { ttl: 60000, timeout: 300 }));
            const elapsed = Date.now() - started;
            assertException(err, 'ConnectionException', 'COMMAND_TIMEOUT');
            assert.isBelow(elapsed, 2000, 'bounded by the acquire timeout, not the 3 s command timeout');
            const ran = tap.waitFor(line => /"evalsha"/i.test(line) && line.includes('"abandoned"'), 1);
            server.resume();
            await ran;
            await until(async () => await client.exists('abandoned') == 0, 'the abandoned acquire\'s lock was released');
        } finally {
            tap.stop();
        }
    });

    test('close takes the component\'s waiters out of the queue at once', async () => {
        const holder = await lockOn();
        const closing = await openLock(server, 'options.retry_timeout', 5000);
        const next = await lockOn('options.retry_timeout', 5000);
        const held = await holder.acquire(null, 'closing-waiters', { ttl: 10000 });
        const waits = [closing.acquire(null, 'closing-waiters', { timeout: 10000 }).catch(err => err),
            closing.acquire(null, 'closing-waiters', { timeout: 10000 }).catch(err => err)];
        await until(async () => await client.lLen(new LockKeys('closing-waiters').queue) == 2, 'two waiters queued');
        const third = next.acquire(null, 'closing-waiters', { timeout: 10000 });
        await until(async () => await client.lLen(new LockKeys('closing-waiters').queue) == 3, 'three waiters queued');
        await closing.close(null);
        assert.equal(await client.lLen(new LockKeys('closing-waiters').queue), 1,
            'only the open component\'s waiter is left in the queue');
        for (const err of await Promise.all(waits)) assertException(err, 'InvalidStateException', 'NOT_OPENED');
        await held.release();
        await (await third).release();
    });

    test('close during open leaves the component closed and no connection behind', async () => {
        const lock = new RedisLock();
        lock.configure(configOf(server));
        const opening = lock.open(null);
        const closing = lock.close(null);
        await Promise.allSettled([opening, closing]);
        assert.isFalse(lock.isOpen());
        await until(async () => (await client.sendCommand(['CLIENT', 'LIST']) as string).trim().split('\n').length == 1,
            'only the probe client is connected', 2000);
    });
});

function lossOf(signal: AbortSignal): Promise<any> {
    return signal.aborted ? Promise.resolve(signal.reason) : once(signal, 'abort').then(() => signal.reason);
}

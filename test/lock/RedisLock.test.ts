import { assert } from 'chai';
import { fork } from 'child_process';
import { once } from 'events';
import { join } from 'path';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../../src/lock/RedisLock';
import { LockFixture } from '../fixtures/LockFixture';
import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { CommandTap } from '../support/CommandTap';
import { assertException, failureOf } from '../support/Errors';

async function openLock(...tuples: any[]): Promise<RedisLock> {
    const lock = new RedisLock();
    lock.configure(await TestRedis.config(...tuples));
    await lock.open(null as any);
    return lock;
}

suite('RedisLock', () => {
    let lock: RedisLock;
    let other: RedisLock;
    let fixture: LockFixture;

    setup(async () => {
        lock = await openLock();
        other = await openLock();
        fixture = new LockFixture(lock, TestRedis.uniqueKey('fixture') + ':');
    });

    teardown(async () => {
        await lock.close(null as any);
        await other.close(null as any);
    });

    test('Try Acquire Lock', async () => {
        await fixture.testTryAcquireLock();
    });

    test('Acquire Lock', async () => {
        await fixture.testAcquireLock();
    });

    test('Release Lock', async () => {
        await fixture.testReleaseLock();
    });

    test('two components on separate connections exclude each other', async () => {
        const key = TestRedis.uniqueKey('exclude');
        assert.isTrue(await lock.tryAcquireLock(null as any, key, 5000));
        assert.isFalse(await other.tryAcquireLock(null as any, key, 5000));
        await lock.releaseLock(null as any, key);
        assert.isTrue(await other.tryAcquireLock(null as any, key, 5000));
        assert.isFalse(await lock.tryAcquireLock(null as any, key, 5000));
        await other.releaseLock(null as any, key);
    });

    test('a release by a component that does not hold the lock leaves it held', async () => {
        const key = TestRedis.uniqueKey('non-owner');
        assert.isTrue(await lock.tryAcquireLock(null as any, key, 5000));
        await other.releaseLock(null as any, key);
        assert.isFalse(await other.tryAcquireLock(null as any, key, 5000));
        await lock.releaseLock(null as any, key);
    });

    test('a holder whose TTL ran out cannot release the next owner\'s lock', async () => {
        const key = TestRedis.uniqueKey('expired-owner');
        assert.isTrue(await lock.tryAcquireLock(null as any, key, 50));
        // The lock is free once its TTL runs out; the other component takes it over.
        await other.acquireLock(null as any, key, 10000, 2000);
        await lock.releaseLock(null as any, key);
        assert.isFalse(await lock.tryAcquireLock(null as any, key, 5000), 'the new owner must still hold it');
        await other.releaseLock(null as any, key);
    });

    test('options.key_prefix keeps services sharing one Redis apart', async () => {
        const key = TestRedis.uniqueKey('prefixed');
        const serviceA = await openLock('options.key_prefix', 'svcA:');
        const serviceB = await openLock('options.key_prefix', 'svcB:');
        const client = createClient({ socket: await TestRedis.endpoint() });
        await client.connect();
        try {
            assert.isTrue(await serviceA.tryAcquireLock(null, key, 5000));
            assert.isTrue(await serviceB.tryAcquireLock(null, key, 5000), 'another prefix is another lock');
            assert.isFalse(await serviceA.tryAcquireLock(null, key, 5000));
            assert.isNotNull(await client.get('svcA:' + key));
            assert.isNull(await client.get(key), 'without a prefix the key stays free');
            await serviceA.releaseLock(null, key);
            assert.isNull(await client.get('svcA:' + key), 'release uses the prefix too');
            await serviceB.releaseLock(null, key);
        } finally {
            client.destroy();
            await serviceA.close(null);
            await serviceB.close(null);
        }
    });

    test('the TTL frees the key', async () => {
        const key = TestRedis.uniqueKey('ttl');
        assert.isTrue(await lock.tryAcquireLock(null as any, key, 200));
        assert.isFalse(await other.tryAcquireLock(null as any, key, 200));
        const client = createClient({ socket: await TestRedis.endpoint() });
        await client.connect();
        try {
            const pttl = await client.pTTL(key);
            assert.isAbove(pttl, 0);
            assert.isAtMost(pttl, 200);
        } finally {
            client.destroy();
        }
        await other.acquireLock(null as any, key, 200, 2000);
    });

    test('every acquisition writes a fresh token', async () => {
        const key = TestRedis.uniqueKey('token');
        const client = createClient({ socket: await TestRedis.endpoint() });
        await client.connect();
        try {
            assert.isTrue(await lock.tryAcquireLock(null as any, key, 5000));
            const first = await client.get(key);
            await lock.releaseLock(null as any, key);
            assert.isTrue(await lock.tryAcquireLock(null as any, key, 5000));
            const second = await client.get(key);
            await lock.releaseLock(null as any, key);
            // `<component>.<random>`: the same component part for one component's tokens (its inbox, see LockKeys.inbox).
            assert.match(first!, /^[0-9a-f]{12}\.[0-9a-f]{24}$/);
            assert.notEqual(first, second);
            assert.equal(first!.split('.')[0], second!.split('.')[0]);
        } finally {
            client.destroy();
        }
    });

    /**
     * Counts the scripts (acquire, touch, leave) a private server runs while one component waits
     * `waitMs` on a lock another holds, with the given retry_timeout; the user may be denied SUBSCRIBE.
     */
    async function scriptsWhileWaiting(retryTimeouts: number[], waitMs: number, subscribe: boolean): Promise<number[]> {
        const user = { name: 'waiter', password: 'waiter-pass', rules: ['~*', '&*', '+@all', ...(subscribe ? [] : ['-subscribe'])] };
        const server = await RedisServer.start({ users: [user] });
        const config = (retryTimeout: number) => ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port,
            'credential.username', user.name, 'credential.password', user.password, 'options.retry_timeout', retryTimeout);
        const admin = createClient({ socket: { host: server.host, port: server.port }, username: user.name, password: user.password });
        admin.on('error', () => undefined);
        await admin.connect();
        const holder = new RedisLock();
        holder.configure(config(100));
        await holder.open(null);
        const counts: number[] = [];
        try {
            assert.isTrue(await holder.tryAcquireLock(null, 'retry', 60000));
            for (const retryTimeout of retryTimeouts) {
                const waiting = new RedisLock();
                waiting.configure(config(retryTimeout));
                await waiting.open(null);
                try {
                    await admin.configResetStat();
                    const err = await failureOf(() => waiting.acquireLock(null, 'retry', 1000, waitMs));
                    assertException(err, 'ConflictException', 'LOCK_TIMEOUT');
                    const stats = await admin.info('commandstats');
                    counts.push(Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0)
                        + Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0));
                } finally {
                    await waiting.close(null);
                }
            }
        } finally {
            admin.destroy();
            await holder.close(null);
            await server.stop();
        }
        return counts;
    }

    test('a queued waiter costs at most two round trips a second, whatever retry_timeout is', async () => {
        const [fast] = await scriptsWhileWaiting([20], 2000, true);
        // 2 s: the first attempt, one more once subscribed, a touch every 500 ms (3), a last attempt
        // at the deadline, the leave and a release of anything handed over meanwhile; the first use
        // of the acquire, touch, leave and release scripts on this server adds an EVAL each
        // (NOSCRIPT). Polling every retry_timeout (20 ms), as 0.1.0 did, runs about 100.
        assert.isAtMost(fast, 12);
    });

    test('without pub/sub (SUBSCRIBE denied), options.retry_timeout sets how often a waiter attempts', async () => {
        const [slow, fast] = await scriptsWhileWaiting([300, 20], 600, false);
        // 600 ms: at 300 ms about 2 timed retries, at 20 ms about 30 (plus the first attempt, one
        // more at once since no subscription confirmed, a touch, the leave and a release, each
        // script with an EVAL on first use).
        assert.isAtMost(slow, 11, 'retry_timeout 300');
        assert.isAtLeast(fast, 15, 'retry_timeout 20');
    });

    test('acquireLock times out with ConflictException LOCK_TIMEOUT naming the key', async () => {
        const key = TestRedis.uniqueKey('timeout');
        assert.isTrue(await other.tryAcquireLock(null as any, key, 10000));
        const err = await failureOf(() => lock.acquireLock('trace-1', key, 1000, 100));
        assertException(err, 'ConflictException', 'LOCK_TIMEOUT');
        assert.equal(err.details.get('key'), key);
        assert.equal(err.trace_id, 'trace-1');
        await other.releaseLock(null as any, key);
    });

    test('a string context is a trace id', async () => {
        const err = await failureOf(() => lock.tryAcquireLock('trace-42', '', 1000));
        assert.equal(err.trace_id, 'trace-42');
    });

    test('bad arguments get BadRequestException and send nothing', async () => {
        const tap = await CommandTap.start(await TestRedis.endpoint());
        const from = await tap.mark();
        try {
            const cases: [() => Promise<unknown>, string, string, string][] = [
                [() => lock.tryAcquireLock(null, '', 1000), 'INVALID_KEY', 'key', '""'],
                [() => lock.tryAcquireLock(null, null as any, 1000), 'INVALID_KEY', 'key', 'null'],
                [() => lock.tryAcquireLock(null, 42 as any, 1000), 'INVALID_KEY', 'key', '42'],
                [() => lock.tryAcquireLock(null, 'k', 0), 'INVALID_TTL', 'ttl', '0'],
                [() => lock.tryAcquireLock(null, 'k', -5), 'INVALID_TTL', 'ttl', '-5'],
                [() => lock.tryAcquireLock(null, 'k', 1.5), 'INVALID_TTL', 'ttl', '1.5'],
                [() => lock.tryAcquireLock(null, 'k', undefined as any), 'INVALID_TTL', 'ttl', 'undefined'],
                [() => lock.tryAcquireLock(null, 'k', NaN), 'INVALID_TTL', 'ttl', 'NaN'],
                [() => lock.acquireLock(null, 'k', 1000, -1), 'INVALID_TIMEOUT', 'timeout', '-1'],
                [() => lock.acquireLock(null, 'k', 1000, Infinity), 'INVALID_TIMEOUT', 'timeout', 'Infinity'],
                [() => lock.releaseLock(null, ''), 'INVALID_KEY', 'key', '""']
            ];
            for (const [action, code, detail, value] of cases) {
                const err = await failureOf(action);
                assertException(err, 'BadRequestException', code);
                assert.equal(err.details.get(detail), value, code + ' details');
            }
            // MONITOR shows commands in the order the server ran them: once the mark shows, anything
            // the calls above had sent would have shown first.
            const to = await tap.mark();
            assert.deepEqual(tap.between(from, to).filter(line => /"(set|eval|evalsha|del)"/i.test(line)), []);
        } finally {
            tap.stop();
        }
    });

    test('calls before open get InvalidStateException NOT_OPENED', async () => {
        const closed = new RedisLock();
        closed.configure(await TestRedis.config());
        assertException(await failureOf(() => closed.tryAcquireLock(null as any, 'k', 1000)), 'InvalidStateException', 'NOT_OPENED');
        assertException(await failureOf(() => closed.acquireLock(null as any, 'k', 1000, 10)), 'InvalidStateException', 'NOT_OPENED');
        assertException(await failureOf(() => closed.releaseLock(null as any, 'k')), 'InvalidStateException', 'NOT_OPENED');
        assert.isFalse(closed.isOpen());
    });

    test('open, close and close again; open twice opens once', async () => {
        const component = new RedisLock();
        component.configure(await TestRedis.config());
        await Promise.all([component.open(null as any), component.open(null as any)]);
        assert.isTrue(component.isOpen());
        await component.close(null as any);
        await component.close(null as any);
        assert.isFalse(component.isOpen());
    });

    test('root-level host and port work when there is no connection section', async () => {
        const { host, port } = await TestRedis.endpoint();
        const component = new RedisLock();
        component.configure(ConfigParams.fromTuples('host', host, 'port', port));
        await component.open('123');
        try {
            const key = TestRedis.uniqueKey('root');
            assert.isTrue(await component.tryAcquireLock('123', key, 1000));
            await component.releaseLock('123', key);
        } finally {
            await component.close('123');
        }
    });

    test('without any connection, open fails with ConfigException NO_CONNECTION', async () => {
        const component = new RedisLock();
        component.configure(ConfigParams.fromTuples('options.retry_timeout', 50));
        assertException(await failureOf(() => component.open(null as any)), 'ConfigException', 'NO_CONNECTION');
    });

    test('a bad retry_timeout is a ConfigException naming the value', () => {
        const component = new RedisLock();
        let err: any = null;
        try { component.configure(ConfigParams.fromTuples('options.retry_timeout', 'soon')); } catch (e) { err = e; }
        assertException(err, 'ConfigException', 'INVALID_OPTION');
        assert.equal(err.details.get('value'), 'soon');
    });
});

suite('RedisLock during an outage', () => {
    let server: RedisServer;

    setup(async () => { server = await RedisServer.start(); });
    teardown(async () => { await server.stop(); });

    test('a command while Redis is down fails with ConnectionException; the lock works again after', async () => {
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port,
            'options.command_timeout', 500, 'options.reconnect_max_delay', 100));
        await lock.open(null as any);
        try {
            assert.isTrue(await lock.tryAcquireLock(null as any, 'outage', 10000));
            await server.stop();
            const err = await failureOf(() => lock.tryAcquireLock(null as any, 'outage-2', 10000));
            assert.equal(err.constructor.name, 'ConnectionException', err.stack);
            assert.include(['COMMAND_TIMEOUT', 'CONNECTION_LOST'], err.code);
            await server.restart();
            // The client reconnects on its own; the restarted server is empty, so the key is free.
            await lock.acquireLock(null as any, 'outage', 10000, 5000);
            await lock.releaseLock(null as any, 'outage');
        } finally {
            await lock.close(null as any);
        }
    });

    test('a waiting acquire rides out a reconnect, and an outage past its timeout is not LOCK_TIMEOUT', async () => {
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port,
            'options.retry_timeout', 20, 'options.reconnect_max_delay', 50));
        await lock.open(null);
        try {
            await server.stop();
            const err = await failureOf(() => lock.acquireLock(null, 'blip', 1000, 300));
            assertException(err, 'ConnectionException', 'CONNECTION_LOST');
            const acquiring = lock.acquireLock(null, 'blip', 1000, 10000);
            await server.restart();
            await acquiring;
            await lock.releaseLock(null, 'blip');
        } finally {
            await lock.close(null);
        }
    });

    test('a command to a frozen server fails within the command timeout', async () => {
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port, 'options.command_timeout', 500));
        await lock.open(null as any);
        server.pause();
        try {
            const started = Date.now();
            const err = await failureOf(() => lock.tryAcquireLock(null as any, 'frozen', 10000));
            assert.equal(err.constructor.name, 'ConnectionException', err.stack);
            assert.isBelow(Date.now() - started, 3000, 'bounded by command_timeout, not hanging');
        } finally {
            server.resume();
            await lock.close(null as any);
        }
    });

    test('a process that closed its lock after a server froze and thawed exits by itself', async () => {
        const child = fork(join(__dirname, 'support', 'CloseAfterFreeze.js'), [], { stdio: 'inherit' });
        const [report] = await once(child, 'message');
        assert.equal(report.failedWith, 'ConnectionException');
        const exited = once(child, 'exit');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        const [code, signal] = await exited;
        clearTimeout(timer);
        assert.isNull(signal, 'the process kept running: something of the closed client stayed alive');
        assert.equal(code, 0);
    });

    test('close during an outage returns', async () => {
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port, 'options.command_timeout', 300));
        await lock.open(null as any);
        await server.stop();
        const pending = lock.tryAcquireLock(null as any, 'closing', 1000).catch(err => err);
        await lock.close(null as any);
        assert.isFalse(lock.isOpen());
        assert.equal((await pending).constructor.name, 'ConnectionException');
    });
});

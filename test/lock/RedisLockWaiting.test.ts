import { assert } from 'chai';
import * as commander from '@redis/client/dist/lib/commander';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { LockKeys } from '../../src/lock/LockKeys';
import { RedisLock } from '../../src/lock/RedisLock';
import { Timers } from '../../src/lock/Timers';
import { ACQUIRE_SCRIPT, EXTEND_SCRIPT } from '../../src/lock/scripts';
import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { CommandTap } from '../support/CommandTap';
import { assertException, failureOf } from '../support/Errors';

async function openLock(...tuples: any[]): Promise<RedisLock> {
    const lock = new RedisLock();
    lock.configure(await TestRedis.config(...tuples));
    await lock.open(null);
    return lock;
}

suite('RedisLock waiting and hand-off', () => {
    const components: RedisLock[] = [];
    let client: ReturnType<typeof createClient>;

    async function component(...tuples: any[]): Promise<RedisLock> {
        const lock = await openLock(...tuples);
        components.push(lock);
        return lock;
    }

    /** Resolves once `count` waiters are queued for the key (the queue has no event to wait on). */
    async function queued(key: string, count: number): Promise<void> {
        const queue = new LockKeys(key).queue;
        for (let i = 0; i < 500; i++) {
            if (await client.lLen(queue) >= count) return;
            await new Promise(resolve => setImmediate(resolve));
        }
        assert.fail('waiters did not queue up');
    }

    async function until(check: () => Promise<boolean>, what: string): Promise<void> {
        for (let i = 0; i < 500; i++) {
            if (await check()) return;
            await new Promise(resolve => setImmediate(resolve));
        }
        assert.fail(what);
    }

    /**
     * Queues a waiter that is not there (what a crashed or silent waiter leaves), first in line
     * unless others queued before, with a deadline `deadlineIn` ms from the server's now.
     */
    async function queueAbsentWaiter(keys: LockKeys, token: string, deadlineIn: number): Promise<void> {
        const [seconds, micros] = (await client.time()).map(Number);
        await client.zAdd(keys.waiters, { score: seconds * 1000 + Math.floor(micros / 1000) + deadlineIn, value: token });
        await client.rPush(keys.queue, token);
    }

    /** Matches the MONITOR lines of `script` run on `key`. */
    function runsOn(script: { SHA1: string }, key: string): (line: string) => boolean {
        return line => line.includes('"EVALSHA" "' + script.SHA1 + '"') && line.includes(key);
    }

    /**
     * Starts an acquire that will wait on `key`, and resolves once its waiter sleeps until woken:
     * it ran the acquire script twice, the first attempt and the one right after its subscription
     * took effect.
     */
    async function asleep<T>(tap: CommandTap, key: string, acquire: () => Promise<T>): Promise<{ acquired: Promise<T> }> {
        const attempts = tap.waitFor(runsOn(ACQUIRE_SCRIPT, key), 2);
        const acquired = acquire();
        await attempts;
        return { acquired };
    }

    setup(async () => {
        client = createClient({ socket: await TestRedis.endpoint() });
        client.on('error', () => undefined);
        await client.connect();
    });

    teardown(async () => {
        client.destroy();
        await Promise.all(components.splice(0).map(c => c.close(null)));
    });

    test('hand-off order is first come, first served for 5 waiters', async () => {
        const key = TestRedis.uniqueKey('fifo');
        const holder = await component();
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const order: number[] = [];
        const waiting: Promise<void>[] = [];
        for (let i = 0; i < 5; i++) {
            const waiter = await component('options.retry_timeout', 5000);
            waiting.push(waiter.acquireLock(null, key, 10000, 10000).then(async () => {
                order.push(i);
                await waiter.releaseLock(null, key);
            }));
            await queued(key, i + 1);
        }
        await holder.releaseLock(null, key);
        await Promise.all(waiting);
        assert.deepEqual(order, [0, 1, 2, 3, 4]);
    });

    test('a waiter wakes on release without waiting for retry_timeout (10 s)', async () => {
        const key = TestRedis.uniqueKey('wake');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        const acquired = waiter.acquireLock(null, key, 10000, 8000);
        await queued(key, 1);
        const releasedAt = Date.now();
        await holder.releaseLock(null, key);
        await acquired;
        assert.isBelow(Date.now() - releasedAt, 2000, 'woken by the release, not by the 10 s retry');
        await waiter.releaseLock(null, key);
    });

    test('a release that publishes nothing (a 0.0.3 instance deletes the key) is noticed by the next touch, not retry_timeout (10 s)', async () => {
        const key = TestRedis.uniqueKey('silent-release');
        const waiter = await component('options.retry_timeout', 10000);
        await client.set(key, 'held-by-0.0.3', { PX: 60000 });
        const tap = await CommandTap.start(await TestRedis.endpoint());
        let acquired: Promise<void>;
        try {
            ({ acquired } = await asleep(tap, key, () => waiter.acquireLock(null, key, 10000, 8000)));
        } finally {
            tap.stop();
        }
        const releasedAt = Date.now();
        await client.del(key);
        await acquired;
        assert.isBelow(Date.now() - releasedAt, 2000, 'the queue keeper saw the free lock within its 500 ms period');
        await waiter.releaseLock(null, key);
    });

    test('a waiter behind a head that died gets the lock soon after the head\'s deadline, without retry_timeout (10 s)', async () => {
        const key = TestRedis.uniqueKey('dead-head');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        // What a crashed waiter leaves first in line: a queue entry nobody refreshes (it ends 300 ms from now).
        await queueAbsentWaiter(keys, 'dead-head', 300);
        const acquired = waiter.acquireLock(null, key, 10000, 8000);
        await queued(key, 2);
        const releasedAt = Date.now();
        await holder.releaseLock(null, key);   // wakes the dead head, which never comes
        await acquired;
        assert.isBelow(Date.now() - releasedAt, 2000, 'the touch after the dead head\'s deadline woke the next waiter');
        await waiter.releaseLock(null, key);
    });

    test('a release hands the lock straight to the first waiter: it confirms, and runs no acquire script', async () => {
        const key = TestRedis.uniqueKey('one-hop');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        const held = await holder.acquire(null, key, { ttl: 60000 });
        const tap = await CommandTap.start(await TestRedis.endpoint());
        try {
            const { acquired: next } = await asleep(tap, key, () => waiter.acquire(null, key, { ttl: 30000, timeout: 8000 }));
            const from = await tap.mark();
            const confirmed = tap.waitFor(runsOn(EXTEND_SCRIPT, key), 1);
            await held.release();
            const lease = await next;
            await confirmed;
            const to = await tap.mark();
            assert.deepEqual(tap.between(from, to).filter(runsOn(ACQUIRE_SCRIPT, key)), [], 'no acquire after the release');
            assert.isAbove(lease.fence, held.fence);
            assert.isTrue(lease.held);
            assert.isAbove(await client.pTTL(key), 20000, 'confirmed to the waiter\'s own TTL');
            await until(async () => lease.expiresAt > Date.now() + 20000, 'the lease counts the confirmed TTL');
            await lease.release();
        } finally {
            tap.stop();
        }
    });

    test('a lock handed over and released at once (a short critical section) is never confirmed', async () => {
        const key = TestRedis.uniqueKey('no-confirm');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        const held = await holder.acquire(null, key, { ttl: 60000 });
        const tap = await CommandTap.start(await TestRedis.endpoint());
        try {
            const { acquired: next } = await asleep(tap, key, () => waiter.acquire(null, key, { ttl: 30000, timeout: 8000 }));
            const from = await tap.mark();
            await held.release();
            await (await next).release();
            // Past the confirm's delay (100 ms): an absence can only be checked over a window.
            await new Promise(resolve => setTimeout(resolve, 300));
            const to = await tap.mark();
            assert.deepEqual(tap.between(from, to).filter(runsOn(EXTEND_SCRIPT, key)), [], 'no confirm');
            assert.equal(await client.exists(key), 0);
        } finally {
            tap.stop();
        }
    });

    test('an ILock hand-over released within the confirm delay cancels the confirm: no timer wakes the process for nothing', async () => {
        const key = TestRedis.uniqueKey('confirm-cancelled');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        const tap = await CommandTap.start(await TestRedis.endpoint());
        let acquired: Promise<void>;
        try {
            ({ acquired } = await asleep(tap, key, () => waiter.acquireLock(null, key, 30000, 8000)));
        } finally {
            tap.stop();
        }
        // The confirm is the one 100 ms timer a hand-over arms (the keeper's period is 500 ms, a wait's its timeout).
        const patched = Timers as { after: typeof Timers.after };
        const after = patched.after;
        const confirms: { cancelled: boolean }[] = [];
        patched.after = (delay, callback, keepAlive) => {
            const timer = after(delay, callback, keepAlive);
            if (delay != 100) return timer;
            const seen = { cancelled: false };
            confirms.push(seen);
            return { cancel: () => { seen.cancelled = true; timer.cancel(); } };
        };
        try {
            await holder.releaseLock(null, key);
            await acquired;
            await waiter.releaseLock(null, key);
        } finally {
            patched.after = after;
        }
        assert.lengthOf(confirms, 1, 'one confirm armed for the hand-over');
        assert.isTrue(confirms[0].cancelled, 'cancelled by the release');
    });

    test('a first waiter that died after the lock was handed to it holds it only for the short grant, not its TTL', async () => {
        const key = TestRedis.uniqueKey('dead-grantee');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        // A waiter first in line that will never confirm (its deadline is a minute away: not yet dropped).
        await queueAbsentWaiter(keys, 'silent-head', 60000);
        const acquired = waiter.acquireLock(null, key, 10000, 8000);
        await queued(key, 2);
        await holder.releaseLock(null, key);
        assert.equal(await client.get(key), 'silent-head', 'handed to the first in line');
        assert.isAtMost(await client.pTTL(key), 1000, 'for the short grant only');
        const releasedAt = Date.now();
        await acquired;
        assert.isBelow(Date.now() - releasedAt, 3000, 'the next waiter took over once the grant ran out');
        await waiter.releaseLock(null, key);
    });

    test('the waiters of a holder that never releases proceed when its TTL runs out', async () => {
        const key = TestRedis.uniqueKey('expired-holder');
        const holder = await component();
        const first = await component('options.retry_timeout', 10000);
        const second = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 300));
        const a = first.acquireLock(null, key, 300, 5000);
        await queued(key, 1);
        const b = second.acquireLock(null, key, 300, 5000);
        await Promise.all([a, b]);   // the second one after the first one's lock expired too
    });

    test('a waiter that gives up leaves no stale queue entry', async () => {
        const key = TestRedis.uniqueKey('give-up');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component();
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const err = await failureOf(() => waiter.acquireLock(null, key, 1000, 200));
        assertException(err, 'ConflictException', 'LOCK_TIMEOUT');
        assert.equal(await client.lLen(keys.queue), 0);
        assert.equal(await client.zCard(keys.waiters), 0);
        await holder.releaseLock(null, key);
        assert.isTrue(await waiter.tryAcquireLock(null, key, 1000), 'nobody is left in line');
    });

    test('a waiter that died is dropped from the queue and does not block the lock for long', async () => {
        const key = TestRedis.uniqueKey('dead-waiter');
        const keys = new LockKeys(key);
        // What a crashed waiter leaves behind: a queue entry nobody refreshes (it ends 50 ms from now).
        await queueAbsentWaiter(keys, 'dead-token', 50);
        const lock = await component();
        await lock.acquireLock(null, key, 1000, 3000);
        assert.equal(await client.lLen(keys.queue), 0);
    });

    test('a waiter whose queue entry is gone (dropped while its event loop was blocked) is woken by the next touch and gets the free lock', async () => {
        const key = TestRedis.uniqueKey('lost-place');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        const acquired = waiter.acquireLock(null, key, 10000, 8000);
        await queued(key, 1);
        // What the acquire script of another component does to a waiter past its deadline.
        const token = (await client.lIndex(keys.queue, 0))!;
        await client.lRem(keys.queue, 1, token);
        await client.zRem(keys.waiters, token);
        const releasedAt = Date.now();
        await holder.releaseLock(null, key);   // nobody queued: deleted, nobody told
        await acquired;
        assert.isBelow(Date.now() - releasedAt, 2000, 'the touch found the token missing and woke the waiter');
        await waiter.releaseLock(null, key);
    });

    test('600 waiters of one component keep their places past the queue deadline (one touch refreshes them in chunks of 500)', async () => {
        const key = TestRedis.uniqueKey('many-waiters');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 60000));
        const leases = Array.from({ length: 600 }, () => waiter.acquire(null, key, { ttl: 10000, timeout: 20000 }));
        const tap = await CommandTap.start(await TestRedis.endpoint());
        try {
            await queued(key, 600);
            const serverMillis = async () => {
                const [seconds, micros] = (await client.time()).map(Number);
                return seconds * 1000 + micros / 1000;
            };
            const queuedAt = await serverMillis();
            const until = async (at: number) => {
                while (await serverMillis() < at) await new Promise(resolve => setTimeout(resolve, 50));
            };
            // After the waiters' last look once subscribed; up to 1.5 s past the 1 s queue deadline of
            // the last to queue: only touches kept them.
            await until(queuedAt + 500);
            const from = await tap.mark();
            await until(queuedAt + 2500);
            const to = await tap.mark();
            assert.equal(await client.lLen(keys.queue), 600, 'all still queued');
            assert.equal(await client.zCard(keys.waiters), 600, 'all deadlines kept');
            // A waiter that lost its place would run the acquire script again, to queue at the back.
            assert.deepEqual(tap.between(from, to).filter(runsOn(ACQUIRE_SCRIPT, key)), [], 'nobody queued again');
        } finally {
            tap.stop();
            await holder.releaseLock(null, key);
            for (const lease of leases) await (await lease).release();
        }
    });

    test('cancelling a waiting acquire through its AbortSignal rejects promptly and leaves the queue', async () => {
        const key = TestRedis.uniqueKey('abort');
        const keys = new LockKeys(key);
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const controller = new AbortController();
        const acquiring = waiter.acquire(null, key, { timeout: 10000, signal: controller.signal });
        await queued(key, 1);
        const reason = new Error('shutting down');
        const abortedAt = Date.now();
        controller.abort(reason);
        assert.strictEqual(await failureOf(() => acquiring), reason);
        assert.isBelow(Date.now() - abortedAt, 1000);
        assert.equal(await client.lLen(keys.queue), 0);
        assert.strictEqual(await failureOf(() => waiter.acquire(null, key, { signal: controller.signal })), reason,
            'an aborted signal rejects at once');
    });

    test('tryAcquireLock does not take a free lock ahead of queued waiters', async () => {
        const key = TestRedis.uniqueKey('no-barging');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        const barger = await component();
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const acquired = waiter.acquireLock(null, key, 10000, 5000);
        await queued(key, 1);
        await holder.releaseLock(null, key);
        // Released: the lock goes to the waiter, also when someone else asks first, the releaser included.
        assert.isFalse(await barger.tryAcquireLock(null, key, 10000));
        assert.isFalse(await holder.tryAcquireLock(null, key, 10000));
        await acquired;
        await waiter.releaseLock(null, key);
    });

    test('acquireLock does not keep a free lock that a waiter is queued for: it hands it over and queues behind', async () => {
        const key = TestRedis.uniqueKey('no-barging-free');
        const keys = new LockKeys(key);
        const barger = await component();
        // A live waiter queued on a free lock (as right after a holder's TTL ran out).
        await queueAbsentWaiter(keys, 'queued-first', 60000);
        const err = await failureOf(() => barger.acquireLock(null, key, 10000, 300));
        assertException(err, 'ConflictException', 'LOCK_TIMEOUT');
        assert.equal(await client.get(key), 'queued-first', 'the lock went to the waiter first in line');
        assert.isFalse(await barger.tryAcquireLock(null, key, 10000));
    });

    test('waiters on one component share its single subscriber connection', async () => {
        const key = TestRedis.uniqueKey('shared-sub');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key + 'a', 10000));
        assert.isTrue(await holder.tryAcquireLock(null, key + 'b', 10000));
        const a = waiter.acquireLock(null, key + 'a', 1000, 5000);
        const b = waiter.acquireLock(null, key + 'b', 1000, 5000);
        const settled = Promise.allSettled([a, b]);
        try {
            await queued(key + 'a', 1);
            await queued(key + 'b', 1);
            const inboxes = await Promise.all(['a', 'b'].map(async k => new LockKeys(key + k).inbox((await client.lIndex(new LockKeys(key + k).queue, 0))!)));
            const subscribed = async () => ((await client.sendCommand(['PUBSUB', 'NUMSUB', ...inboxes])) as any[])
                .filter((_, i) => i % 2 == 1).map(Number);
            await until(async () => (await subscribed()).join() == '1,1', 'both inboxes subscribed');
            const clients = (await client.clientList()).filter(c => Number(c.sub) > 0);
            assert.lengthOf(clients, 1, 'one subscriber connection for both inboxes');
            await holder.releaseLock(null, key + 'a');
            await holder.releaseLock(null, key + 'b');
            await Promise.all([a, b]);
            // Kept a second for a waiter that comes back (see the next test), then unsubscribed.
            const deadline = Date.now() + 5000;
            while ((await subscribed()).join() != '0,0') {
                assert.isBelow(Date.now(), deadline, 'unsubscribed once nobody waits');
                await new Promise(resolve => setTimeout(resolve, 50));
            }
        } finally {
            await settled;
        }
    });

    test('a wake-up goes to the inbox of its waiter\'s component only: other components waiting on the lock do not hear it', async () => {
        const key = TestRedis.uniqueKey('inbox');
        const keys = new LockKeys(key);
        const holder = await component();
        const first = await component('options.retry_timeout', 10000);
        const second = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const heard: [string, string][] = [];
        const listener = client.duplicate();
        listener.on('error', () => undefined);
        await listener.connect();
        try {
            await listener.pSubscribe(keys.channel + '*', (message, channel) => { heard.push([channel, message]); });
            const firstAcquired = first.acquireLock(null, key, 10000, 8000);
            await queued(key, 1);
            const secondAcquired = second.acquireLock(null, key, 10000, 8000);
            await queued(key, 2);
            const [firstToken, secondToken] = await client.lRange(keys.queue, 0, -1);
            assert.notEqual(keys.inbox(firstToken), keys.inbox(secondToken), 'each component has an inbox of its own');
            const subscribers = async () => ((await client.sendCommand(['PUBSUB', 'NUMSUB', keys.channel,
                keys.inbox(firstToken), keys.inbox(secondToken)])) as any[]).filter((_, i) => i % 2 == 1).map(Number).join();
            await until(async () => await subscribers() == '0,1,1', 'each component listens on its own inbox, none on the channel stem');
            await holder.releaseLock(null, key);
            await firstAcquired;
            await first.releaseLock(null, key);
            await secondAcquired;
            await second.releaseLock(null, key);
            await listener.pUnsubscribe();
            assert.deepEqual(heard.map(([channel, message]) => [channel, message.split(':')[0]]),
                [[keys.inbox(firstToken), firstToken], [keys.inbox(secondToken), secondToken]],
                'each hand-over published once, in the inbox of the waiter it went to');
        } finally {
            listener.destroy();
        }
    });

    test('the first wait of a component opens its subscriber without building another node-redis client class', async () => {
        const key = TestRedis.uniqueKey('subscriber-class');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        // node-redis builds a client class (every command as a method, about 50 ms of CPU on a
        // 2-core machine) for options it has not just built one for; it caches only the last.
        const patched = commander as { attachConfig: (...args: any[]) => any };
        const attachConfig = patched.attachConfig;
        let built = 0;
        patched.attachConfig = (...args: any[]) => {
            built++;
            return attachConfig(...args);
        };
        try {
            const acquired = waiter.acquireLock(null, key, 10000, 8000);
            await queued(key, 1);
            await until(async () => (await client.clientList()).some(c => Number(c.sub) > 0), 'the waiter subscribed');
            await holder.releaseLock(null, key);
            await acquired;
        } finally {
            patched.attachConfig = attachConfig;
        }
        assert.equal(built, 0, 'client classes built for the subscriber');
        await waiter.releaseLock(null, key);
    });

    test('a worker that waits again on the same lock keeps its inbox: one SUBSCRIBE for 5 waits in a row', async () => {
        const key = TestRedis.uniqueKey('linger');
        const holder = await component();
        const waiter = await component('options.retry_timeout', 10000);
        const subscribes = async () => Number(/cmdstat_subscribe:calls=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0);
        const before = await subscribes();
        for (let round = 0; round < 5; round++) {
            assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
            const acquired = waiter.acquireLock(null, key, 10000, 8000);
            await queued(key, 1);
            await holder.releaseLock(null, key);
            await acquired;
            await waiter.releaseLock(null, key);
        }
        assert.equal(await subscribes() - before, 1, 'subscribed once, for the first wait');
    });

    test('closing the component fails its waiting acquires with NOT_OPENED', async () => {
        const key = TestRedis.uniqueKey('close-waiting');
        const holder = await component();
        const waiter = new RedisLock();
        waiter.configure(await TestRedis.config('options.retry_timeout', 10000));
        await waiter.open(null);
        assert.isTrue(await holder.tryAcquireLock(null, key, 10000));
        const acquiring = waiter.acquireLock(null, key, 1000, 8000).catch(err => err);
        await queued(key, 1);
        await waiter.close(null);
        const err = await acquiring;
        assertException(err, 'InvalidStateException', 'NOT_OPENED');
    });
});

suite('RedisLock round trips', () => {
    test('uncontended: acquireLock is SET NX with a look at the queue (one round trip, no script), a lease acquire five commands in one script', async () => {
        const server = await RedisServer.start();
        const tap = await CommandTap.start(server);
        const lock = new RedisLock();
        lock.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port));
        await lock.open(null);
        const commands = (from: number, to: number) => tap.between(from, to).map(line =>
            (line.includes(' lua]') ? 'lua:' : '') + line.split('"')[1].toLowerCase());
        try {
            await (await lock.acquire(null, 'warm-up', { ttl: 1000 })).release();   // loads the scripts (EVAL once)
            const from = await tap.mark();
            await lock.acquireLock(null, 'k', 1000, 1000);
            await lock.releaseLock(null, 'k');
            const between = await tap.mark();
            // ILock has no fence to hand out: the floor's SET NX, sent together with a look at the
            // queue head; the release compares, looks for a waiter to hand the lock to, deletes.
            assert.deepEqual(commands(from, between), ['set', 'lindex', 'evalsha', 'lua:get', 'lua:lindex', 'lua:del']);
            const lease = await lock.acquire(null, 'k2', { ttl: 1000 });
            await lease.release();
            const to = await tap.mark();
            // A lease needs its fence: acquire reads the clock, the queue head and the last fence,
            // sets the lock (NX) and the fence.
            assert.deepEqual(commands(between, to), ['evalsha', 'lua:time', 'lua:lindex', 'lua:get', 'lua:set', 'lua:set',
                'evalsha', 'lua:get', 'lua:lindex', 'lua:del']);
        } finally {
            tap.stop();
            await lock.close(null);
            await server.stop();
        }
    });
});

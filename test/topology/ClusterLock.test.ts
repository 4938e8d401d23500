import { assert } from 'chai';
import { createClient, createCluster } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { HashSlot } from '../../src/connect/HashSlot';
import { failureOf } from '../support/Errors';
import { RedisCluster } from '../support/RedisCluster';
import { TestRedis } from '../support/TestRedis';
import { KEY_SHAPES, PREFIXES, TopologyScenarios } from './TopologyScenarios';

// RedisLock and RedisCache on a Redis Cluster of 3 masters with a replica each, started here.
suite('Redis Cluster: lock and cache', function () {
    this.timeout(60000);
    let cluster: RedisCluster;
    let raw: any;
    let scenarios: TopologyScenarios;

    const config = (...tuples: any[]) => {
        const seeds = cluster.rootNodes().slice(0, 2).flatMap((node, i) => [
            'connections.' + i + '.host', node.host, 'connections.' + i + '.port', node.port]);
        return ConfigParams.fromTuples(...seeds, 'options.cluster', true, 'options.command_timeout', 2000, ...tuples);
    };

    suiteSetup(async function () {
        const unsupported = RedisCluster.unsupportedReason();
        if (unsupported != null) {
            console.log('    skipped: ' + unsupported);
            this.skip();
        }
        cluster = await RedisCluster.start();
        raw = createCluster({ rootNodes: cluster.rootNodes().map(node => ({ socket: node })) });
        raw.on('error', () => undefined);
        await raw.connect();
        scenarios = new TopologyScenarios(config, raw);
    });

    teardown(async () => { await scenarios?.close(); });

    suiteTeardown(async () => {
        raw?.destroy();
        await cluster?.stop();
    });

    test('LockFixture and CacheFixture pass', async () => {
        await scenarios.fixtures();
    });

    test('hand-off is first come, first served, woken by sharded pub/sub, with increasing fences', async () => {
        await scenarios.handOffInOrder(TestRedis.uniqueKey('fifo'));
        await scenarios.handOffInOrder(TestRedis.uniqueKey('fifo'), 'options.key_prefix', 'svc:');
    });

    test('lock cycles arm no per-command timer of node-redis (the library bounds calls itself)', async () => {
        await scenarios.armsNoCommandTimers(TestRedis.uniqueKey('timers'));
    });

    test('getOrSet fills a missing key once across components', async () => {
        await scenarios.getOrSetFillsOnce(TestRedis.uniqueKey('fill'));
        await scenarios.getOrSetFillsOnce(TestRedis.uniqueKey('fill'), 'options.key_prefix', 'svc:');
    });

    test('every name of a lock is in its key\'s slot, for keys of every shape with and without key_prefix', async () => {
        for (const prefix of PREFIXES) {
            for (const shape of KEY_SHAPES) {
                const keys = scenarios.keysOf(shape, prefix == '' ? [] : ['options.key_prefix', prefix]);
                const slot = await cluster.keySlot(keys.lock);
                for (const name of [keys.fence, keys.queue, keys.waiters, keys.channel, keys.inbox('0123456789ab.0123456789abcdef01234567')]) {
                    assert.equal(await cluster.keySlot(name), slot, JSON.stringify(name) + ' beside ' + JSON.stringify(keys.lock));
                    assert.isTrue(name.startsWith(prefix), JSON.stringify(name) + ' starts with the prefix (ACL rules by prefix)');
                }
            }
        }
    });

    test('the library computes slots as the server does', async () => {
        const samples = [...KEY_SHAPES, '', '{', '}', '{}', '{a}', 'a{b}c{d}', '{{a}}', '€{€}', '😀', 'foo{bar}{zap}'];
        for (let i = 0; i < 200; i++) samples.push('k' + i + (i % 3 == 0 ? '{t' + i + '}' : ''));
        for (const key of samples) assert.equal(HashSlot.of(key), await cluster.keySlot(key), JSON.stringify(key));
    });

    test('contended cycles on keys of every shape, with and without key_prefix, meet no cross-slot error', async () => {
        await scenarios.keysOfEveryShape();
    });

    test('locks on many keys spread over all three masters', async () => {
        const lock = await scenarios.lock();
        await cluster.resetCommandStats();
        for (let i = 0; i < 300; i++) {
            const lease = await lock.acquire(null, TestRedis.uniqueKey('spread') + ':' + i, { ttl: 5000 });
            await lease.release();
        }
        const scripts = [...(await cluster.commandStats()).values()].map(calls => (calls.evalsha ?? 0) + (calls.eval ?? 0));
        assert.lengthOf(scripts, 3);
        const total = scripts.reduce((a, b) => a + b, 0);
        assert.equal(total, 600, 'one acquire and one release script per cycle');
        for (const count of scripts) assert.isAbove(count / total, 0.2, 'each master runs a fair share: ' + scripts.join(', '));
    });

    test('a master killed during contention: its replica takes over, locks work again, fences never repeat', async () => {
        let killed = 0;
        const run = await scenarios.contendThrough(async keys => {
            const victim = await cluster.masterOf(keys[0]);
            killed = victim.port;
            await cluster.killMaster(victim, 'automatic');
        }, { workers: 6, after: 10 });
        TopologyScenarios.assertSafe(run);
        console.log('      killed %s; recovery after promotion %j ms, outage %j ms, %d grants, errors %j',
            killed, run.recoveryMs, run.outageMs, run.grants.length, run.errors);
        // A release during the outage throws (and is retried once Redis answers); acquires wait it out.
        assert.deepEqual(run.errors.filter(e => e.startsWith('acquire')), [], 'waiting acquires rode the failover out');
        for (const ms of run.recoveryMs) assert.isBelow(ms, 5000);
    });

    test('a failover that loses the last acquire: the next fence is still higher; with min_replicas the acquire does not count', async () => {
        let key = TestRedis.uniqueKey('lost-write');
        // A key whose master still has a replica (the test before may have killed one).
        while ((await cluster.replicasOf(await cluster.masterOf(key))).length == 0) key = TestRedis.uniqueKey('lost-write');
        const master = await cluster.masterOf(key);
        const lock = await scenarios.lock();
        const acknowledged = await scenarios.lock('options.min_replicas', 1, 'options.command_timeout', 1000);
        await cluster.cutReplication(master);

        const refused = await failureOf(() => acknowledged.tryAcquireLock(null, key, 10000));
        assert.equal(refused.code, 'NOT_REPLICATED', 'no replica acknowledged: the acquire did not count');
        assert.deepInclude(refused.details, { min_replicas: '1', acknowledged: '0' });
        const direct = createClient({ socket: { host: master.host, port: master.port } });
        direct.on('error', () => undefined);
        await direct.connect();
        assert.equal(await direct.exists(key), 0, 'and the lock was given back');
        direct.destroy();

        const lost = await lock.acquire(null, key, { ttl: 10000, watchdog: true });
        await cluster.killMaster(master);
        const after = await lock.acquire(null, key, { ttl: 10000, timeout: 10000 });
        assert.isAbove(after.fence, lost.fence, 'the fence went on although its last value was lost');
        await after.release();
        if (!lost.signal.aborted) await new Promise(resolve => lost.signal.addEventListener('abort', resolve));
        assert.equal(lost.signal.reason?.details?.reason, 'not_held', 'the holder whose lock was lost hears it');
    });
});

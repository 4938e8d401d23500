import { assert } from 'chai';
import { createClient } from 'redis';

import { RedisSentinels } from '../support/RedisSentinels';
import { RedisServer } from '../support/RedisServer';

const PASSWORD = 'sentinel-harness-secret';

// The sentinel harness against real redis-server processes: the sentinel suites rely on the
// sentinels really knowing the setup and really switching the master, so that is checked here with
// clients of their own (node-redis), not through the harness's own view.
suite('Redis Sentinel harness', function () {
    this.timeout(60000);
    let setup: RedisSentinels;
    const clients: Array<{ destroy(): void }> = [];

    suiteSetup(async function () {
        const why = RedisSentinels.unsupportedReason();
        if (why != null) {
            console.warn('    Skipping the Redis Sentinel harness suite: ' + why);
            this.skip();
        }
        setup = await RedisSentinels.start({ password: PASSWORD });
    });

    suiteTeardown(async () => {
        for (const client of clients) client.destroy();
        await setup?.stop();
    });

    /** A plain client to one data node or sentinel, with the setup's password unless `anonymous`. */
    async function clientOf(server: { host: string; port: number }, anonymous = false) {
        const client = createClient({ socket: { host: server.host, port: server.port, reconnectStrategy: false },
            password: anonymous ? undefined : PASSWORD, RESP: 2 });
        client.on('error', () => { /* a killed node; the commands report it */ });
        clients.push(client);
        await client.connect();
        return client;
    }

    /** The master port every sentinel reports, asked by a client of the test's own. */
    async function reportedMasterPorts(): Promise<number[]> {
        return Promise.all(setup.sentinelNodes().map(async node => {
            const reply = await (await clientOf(node)).sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', setup.masterName]) as string[];
            return Number(reply[1]);
        }));
    }

    async function replicationOf(server: RedisServer): Promise<string> {
        return String(await (await clientOf(server)).sendCommand(['INFO', 'replication']));
    }

    test('start: three sentinels, behind the one password, know the master, its replica and each other', async () => {
        const [first, second] = setup.dataNodes;

        assert.strictEqual(await setup.master(), first);
        assert.strictEqual(await setup.replica(), second);
        assert.lengthOf(setup.sentinelNodes(), 3);
        assert.deepEqual(await reportedMasterPorts(), [first.port, first.port, first.port]);
        for (const node of setup.sentinelNodes()) {
            const sentinel = await clientOf(node);
            const replicas = await sentinel.sendCommand(['SENTINEL', 'REPLICAS', setup.masterName]) as string[][];
            assert.deepEqual(replicas.map(r => Number(r[r.indexOf('port') + 1])), [second.port], 'sentinel ' + node.port);
            const others = await sentinel.sendCommand(['SENTINEL', 'SENTINELS', setup.masterName]) as string[][];
            assert.sameMembers(others.map(o => Number(o[o.indexOf('port') + 1])),
                setup.sentinelNodes().filter(n => n.port != node.port).map(n => n.port), 'sentinel ' + node.port);
        }
        const anonymous = await clientOf(setup.sentinelNodes()[0], true).then(c => c.ping()).catch((err: Error) => err);
        assert.match(String(anonymous), /NOAUTH/, 'the sentinels require the password too');
        assert.include(await replicationOf(second), 'master_link_status:up');
    });

    test('failover: every sentinel reports the replica as master, the old master follows it, and a second failover works at once', async () => {
        const [first, second] = setup.dataNodes;
        const writer = await clientOf(first);
        await writer.set('kept', 'before failover');
        assert.equal(Number(await writer.sendCommand(['WAIT', '1', '1000'])), 1);

        assert.strictEqual(await setup.failover(), second);

        assert.deepEqual(await reportedMasterPorts(), [second.port, second.port, second.port]);
        assert.include(await replicationOf(second), 'role:master');
        assert.include(await replicationOf(first), 'master_port:' + second.port + '\r\n');
        assert.equal(await (await clientOf(second)).get('kept'), 'before failover');
        assert.strictEqual(await setup.replica(), first);

        assert.strictEqual(await setup.failover(), first);
        assert.deepEqual(await reportedMasterPorts(), [first.port, first.port, first.port]);
    });

    test('killMaster with the replica paused: the sentinels promote the replica, and the write it missed is lost', async () => {
        const master = await setup.master();
        const replica = await setup.replica();
        const writer = await clientOf(master);
        await writer.set('replicated', 'yes');
        assert.equal(Number(await writer.sendCommand(['WAIT', '1', '1000'])), 1);
        await setup.pauseReplica();
        await writer.set('lost', 'only the old master took it');

        assert.strictEqual(await setup.killMaster(), replica);

        assert.isFalse(master.isRunning());
        assert.deepEqual(await reportedMasterPorts(), [replica.port, replica.port, replica.port]);
        const promoted = await clientOf(replica);
        assert.include(await replicationOf(replica), 'role:master');
        assert.equal(await promoted.get('replicated'), 'yes');
        assert.isNull(await promoted.get('lost'));
        await promoted.set('after', 'accepted by the new master');
    });
});

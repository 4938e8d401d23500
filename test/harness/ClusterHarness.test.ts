import { assert } from 'chai';
import { readFileSync } from 'fs';
import { createClient, createCluster } from 'redis';

import { RedisCluster } from '../support/RedisCluster';
import { RedisServer } from '../support/RedisServer';
import { TestCertificates } from '../support/TestCertificates';

const PASSWORD = 'cluster-harness-secret';
const SLOTS = 16384;

// The cluster harness against real redis-server processes: the cluster suites rely on it forming a
// real cluster and on its failovers really moving the slots, so both are checked here with clients
// of their own (node-redis), not through the harness's own view.
suite('Redis Cluster harness', function () {
    this.timeout(60000);
    let cluster: RedisCluster;
    const clients: Array<{ destroy(): void }> = [];

    suiteSetup(async function () {
        const why = RedisCluster.unsupportedReason();
        if (why != null) {
            console.warn('    Skipping the Redis Cluster harness suite: ' + why);
            this.skip();
        }
        cluster = await RedisCluster.start({ password: PASSWORD });
    });

    suiteTeardown(async () => {
        for (const client of clients) client.destroy();
        await cluster?.stop();
    });

    /** A plain client to one node, with the cluster's password. */
    async function nodeClient(server: RedisServer) {
        const client = createClient({ socket: { host: server.host, port: server.port, reconnectStrategy: false }, password: PASSWORD, RESP: 2 });
        client.on('error', () => { /* a killed node; the commands report it */ });
        clients.push(client);
        await client.connect();
        return client;
    }

    /** A cluster client seeded with the harness's root nodes. */
    async function clusterClient(of: RedisCluster) {
        const client = createCluster({
            rootNodes: of.rootNodes().map(socket => ({ socket })),
            defaults: { password: PASSWORD, socket: { reconnectStrategy: false } }
        });
        client.on('error', () => { /* a killed node; the commands report it */ });
        clients.push(client);
        await client.connect();
        return client;
    }

    async function replicationOf(server: RedisServer): Promise<string> {
        return String(await (await nodeClient(server)).sendCommand(['INFO', 'replication']));
    }

    test('start forms a cluster: every node ok, the 16384 slots split between 3 masters, each with a linked replica', async () => {
        assert.lengthOf(cluster.nodes, 6);
        for (const node of cluster.nodes) {
            const info = String(await (await nodeClient(node)).sendCommand(['CLUSTER', 'INFO']));
            assert.include(info, 'cluster_state:ok', 'node ' + node.port);
            assert.include(info, 'cluster_slots_assigned:' + SLOTS, 'node ' + node.port);
            assert.include(info, 'cluster_known_nodes:6', 'node ' + node.port);
        }
        const masters = await cluster.masters();
        assert.lengthOf(masters, 3);
        const ranges = masters.flatMap(m => m.slots).sort((a, b) => a[0] - b[0]);
        let next = 0;
        for (const [first, last] of ranges) {
            assert.equal(first, next, 'the slot ranges follow each other without gap or overlap: ' + JSON.stringify(ranges));
            next = last + 1;
        }
        assert.equal(next, SLOTS);
        for (const master of masters) {
            assert.isAtLeast(master.slots[0][1] - master.slots[0][0] + 1, Math.floor(SLOTS / 3), 'an even split');
            const replica = await cluster.replicaOf(master.server);
            assert.notStrictEqual(replica, master.server);
            const replication = await replicationOf(replica);
            assert.include(replication, 'role:slave');
            assert.include(replication, 'master_port:' + master.server.port + '\r\n');
            assert.include(replication, 'master_link_status:up');
        }
    });

    test('keySlot and masterOf agree with the server: a key lives on the master its slot names', async () => {
        assert.equal(await cluster.keySlot('foo'), 12182, 'CRC16 of "foo", as in the Redis cluster spec');
        assert.equal(await cluster.keySlot('{user:1}:profile'), await cluster.keySlot('{user:1}:orders'), 'hash tags');

        const client = await clusterClient(cluster);
        await client.set('foo', 'bar');
        const owner = await nodeClient(await cluster.masterOf('foo'));
        assert.equal(await owner.get('foo'), 'bar', 'the master serving the slot holds the key');
        assert.strictEqual(await cluster.masterOf(12182), await cluster.masterOf('foo'));
        const other = (await cluster.masters()).find(m => !m.slots.some(([a, b]) => a <= 12182 && 12182 <= b))!;
        const redirected = await (await nodeClient(other.server)).get('foo').then(() => null, (err: Error) => err.message);
        assert.match(String(redirected), /^MOVED 12182 /, 'any other master redirects');
    });

    test('commandStats counts calls per master since resetCommandStats', async () => {
        const target = await cluster.masterOf('counted');
        await cluster.resetCommandStats();
        const client = await nodeClient(target);
        await client.set('counted', '1');
        await client.set('counted', '2');
        await client.get('counted');

        const stats = await cluster.commandStats();
        assert.lengthOf([...stats.keys()], 3);
        assert.equal(stats.get(target)!['set'], 2);
        assert.equal(stats.get(target)!['get'], 1);
        for (const [master, calls] of stats) if (master !== target) assert.isUndefined(calls['set'], 'no SET on ' + master.port);
    });

    test('killMaster and failover refuse a node that serves no slots, and kill nothing', async () => {
        const replica = await cluster.replicaOf((await cluster.masters())[0].server);

        for (const action of [() => cluster.killMaster(replica), () => cluster.failover(replica)]) {
            const error = await action().then(() => null, (err: Error) => err);
            assert.match(String(error?.message), new RegExp(replica.port + ' is not a running master serving slots'));
        }
        assert.isTrue(replica.isRunning());
    });

    test('failover switches a master and its replica without losing a write', async () => {
        const master = await cluster.masterOf('kept');
        const replica = await cluster.replicaOf(master);
        await (await nodeClient(master)).set('kept', 'before failover');

        const promoted = await cluster.failover(master);

        assert.strictEqual(promoted, replica);
        assert.strictEqual(await cluster.masterOf('kept'), replica);
        assert.strictEqual(await cluster.replicaOf(replica), master, 'the old master follows the new one');
        assert.include(await replicationOf(master), 'master_port:' + replica.port + '\r\n');
        assert.equal(await (await nodeClient(replica)).get('kept'), 'before failover');
    });

    test('killMaster kills the master, the replica takes its slots, and a cluster client reads and writes keys on every master', async () => {
        const master = await cluster.masterOf('survivor');
        const replica = await cluster.replicaOf(master);
        const writer = await nodeClient(master);
        await writer.set('survivor', 'acknowledged by the replica');
        assert.equal(Number(await writer.sendCommand(['WAIT', '1', '1000'])), 1, 'the replica has the write before the kill');

        const promoted = await cluster.killMaster(master);

        assert.strictEqual(promoted, replica);
        assert.isFalse(master.isRunning());
        assert.strictEqual(await cluster.masterOf('survivor'), replica);
        assert.lengthOf(await cluster.masters(), 3);
        assert.notDeepInclude(cluster.rootNodes(), { host: master.host, port: master.port }, 'a dead node is no seed');
        const client = await clusterClient(cluster);
        assert.equal(await client.get('survivor'), 'acknowledged by the replica');
        const slotsSeen = new Set<number>();
        for (let i = 0; i < 200; i++) {
            await client.set('after-kill:' + i, String(i));
            slotsSeen.add(await cluster.keySlot('after-kill:' + i));
        }
        for (let i = 0; i < 200; i++) assert.equal(await client.get('after-kill:' + i), String(i));
        for (const { server, slots } of await cluster.masters()) {
            assert.isTrue([...slotsSeen].some(s => slots.some(([a, b]) => a <= s && s <= b)), 'some keys land on ' + server.port);
        }
    });

    test('killMaster with automatic promotion: the cluster itself detects the dead master and elects its replica', async () => {
        // A master that still has a replica (the one promoted by the previous test has none).
        let master: RedisServer | null = null;
        for (const candidate of await cluster.masters()) {
            if ((await cluster.replicasOf(candidate.server)).length > 0) master = candidate.server;
        }
        const replica = await cluster.replicaOf(master!);

        const promoted = await cluster.killMaster(master!, 'automatic');

        assert.strictEqual(promoted, replica);
        assert.include(await replicationOf(replica), 'role:master');
        for (const node of cluster.nodes.filter(n => n.isRunning())) {
            assert.include(String(await (await nodeClient(node)).sendCommand(['CLUSTER', 'INFO'])), 'cluster_state:ok');
        }
    });

    test('a cluster with TLS on clients, cluster bus and replication forms, and serves a TLS cluster client', async () => {
        const certs = TestCertificates.get();
        const tls = { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca.cert, authClients: true };
        const secure = await RedisCluster.start({ masters: 3, replicasPerMaster: 1, password: PASSWORD, tls });
        try {
            const pem = { tls: true as const, ca: readFileSync(certs.ca.cert), cert: readFileSync(certs.client.cert), key: readFileSync(certs.client.key) };
            const client = createCluster({
                rootNodes: secure.rootNodes().map(node => ({ socket: { ...node, ...pem } })),
                defaults: { password: PASSWORD, socket: { ...pem, reconnectStrategy: false } }
            });
            client.on('error', () => { /* reported by the commands */ });
            clients.push(client);
            await client.connect();
            await client.set('secure', 'yes');
            assert.equal(await client.get('secure'), 'yes');
            assert.lengthOf(await secure.masters(), 3);
        } finally {
            await secure.stop();
        }
    });
});

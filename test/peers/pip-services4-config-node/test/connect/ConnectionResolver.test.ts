import { assert } from 'chai';
import { ConfigParams, Context, Descriptor, References } from 'pip-services4-components-node';

import { ConnectionParams, ConnectionResolver, MemoryDiscovery } from '../../src';

const discoveryLocator = new Descriptor('pip-services', 'discovery', 'memory', 'default', '1.0');

async function rejection(promise: Promise<any>): Promise<any> {
    try {
        await promise;
    } catch (ex) {
        return ex;
    }
    assert.fail('expected a rejection');
}

suite('ConnectionResolver', () => {
    test('constructor configures and configure appends', () => {
        const resolver = new ConnectionResolver(ConfigParams.fromTuples('connection.host', 'h1'));
        resolver.configure(ConfigParams.fromTuples('connections.a.host', 'h2', 'connections.b.host', 'h3'));
        resolver.configure(ConfigParams.fromTuples('host', 'root-is-ignored'));
        const all = resolver.getAll();
        assert.deepEqual(all.map((c) => c.getHost()), ['h1', 'h2', 'h3']);
    });

    test('getAll returns the live array; add appends', () => {
        const resolver = new ConnectionResolver();
        const all = resolver.getAll();
        resolver.add(ConnectionParams.fromTuples('host', 'h'));
        assert.lengthOf(all, 1);
        assert.strictEqual(resolver.getAll(), all);
    });

    test('resolve with no connections → null', async () => {
        assert.isNull(await new ConnectionResolver().resolve(null));
    });

    test('resolve returns the configured connection', async () => {
        const resolver = new ConnectionResolver(ConfigParams.fromTuples(
            'connection.host', 'localhost', 'connection.port', 6379));
        const connection = await resolver.resolve(null);
        assert.strictEqual(connection.getHost(), 'localhost');
        assert.strictEqual(connection.getPort(), 6379);
    });

    test('resolve returns the first non-discovery connection even after discovery ones', async () => {
        const resolver = new ConnectionResolver(ConfigParams.fromTuples(
            'connections.a.discovery_key', 'k',
            'connections.b.host', 'hb',
            'connections.c.host', 'hc'));
        // References set without any discovery: would throw if discovery were consulted.
        resolver.setReferences(new References());
        const connection = await resolver.resolve(null);
        assert.strictEqual(connection.getHost(), 'hb');
    });

    test('discovery connection without references → null', async () => {
        const resolver = new ConnectionResolver(ConfigParams.fromTuples('connection.discovery_key', 'key1'));
        assert.isNull(await resolver.resolve(null));
        assert.deepEqual(await resolver.resolveAll(null), []);
    });

    test('references set but no discovery component → ReferenceException', async () => {
        const resolver = new ConnectionResolver(
            ConfigParams.fromTuples('connection.discovery_key', 'key1'), new References());
        const error = await rejection(resolver.resolve(Context.fromTraceId('t1')));
        assert.strictEqual(error.code, 'REF_ERROR');
        assert.match(error.message, /\*:discovery:\*:\*:\*$/);
        assert.strictEqual(error.trace_id, 't1');

        const errorAll = await rejection(resolver.resolveAll(null));
        assert.strictEqual(errorAll.code, 'REF_ERROR');
    });

    test('resolve merges discovered params over configured ones (discovery_key kept)', async () => {
        const discovery = new MemoryDiscovery(ConfigParams.fromTuples(
            'key1.host', 'discovered', 'key1.port', 7000));
        const resolver = new ConnectionResolver(ConfigParams.fromTuples(
            'connection.discovery_key', 'key1', 'connection.host', 'configured', 'connection.protocol', 'redis'),
            References.fromTuples(discoveryLocator, discovery));
        const connection = await resolver.resolve(null);
        assert.instanceOf(connection, ConnectionParams);
        assert.strictEqual(connection.getHost(), 'discovered');
        assert.strictEqual(connection.getPort(), 7000);
        assert.strictEqual(connection.getProtocol(), 'redis');
        assert.strictEqual(connection.getDiscoveryKey(), 'key1');
    });

    test('discoveries are asked newest first until one returns non-null', async () => {
        const older = new MemoryDiscovery(ConfigParams.fromTuples('key1.host', 'older', 'key2.host', 'older2'));
        const newer = new MemoryDiscovery(ConfigParams.fromTuples('key1.host', 'newer'));
        const references = References.fromTuples(discoveryLocator, older, discoveryLocator, newer);

        const resolver1 = new ConnectionResolver(ConfigParams.fromTuples('connection.discovery_key', 'key1'), references);
        assert.strictEqual((await resolver1.resolve(null)).getHost(), 'newer');

        const resolver2 = new ConnectionResolver(ConfigParams.fromTuples('connection.discovery_key', 'key2'), references);
        assert.strictEqual((await resolver2.resolve(null)).getHost(), 'older2');

        const resolver3 = new ConnectionResolver(ConfigParams.fromTuples('connection.discovery_key', 'nope'), references);
        assert.isNull(await resolver3.resolve(null));
    });

    test('resolve does not stop early: the last resolved connection wins', async () => {
        const discovery = new MemoryDiscovery(ConfigParams.fromTuples('key1.host', 'h1', 'key2.host', 'h2'));
        const resolver = new ConnectionResolver(ConfigParams.fromTuples(
            'connections.a.discovery_key', 'key1',
            'connections.b.discovery_key', 'key2',
            'connections.c.discovery_key', 'missing'),
        References.fromTuples(discoveryLocator, discovery));
        assert.strictEqual((await resolver.resolve(null)).getHost(), 'h2');
    });

    test('resolveAll: non-discovery first, then every discovered result merged', async () => {
        const discovery = new MemoryDiscovery(ConfigParams.fromTuples('key1.host', 'd1'));
        await discovery.register(null, 'key1', ConnectionParams.fromTuples('host', 'd2'));
        const resolver = new ConnectionResolver(ConfigParams.fromTuples(
            'connections.a.discovery_key', 'key1', 'connections.a.port', 1,
            'connections.b.host', 'plain'),
        References.fromTuples(discoveryLocator, discovery));
        const all = await resolver.resolveAll(null);
        assert.deepEqual(all.map((c) => c.getHost()), ['plain', 'd1', 'd2']);
        assert.strictEqual(all[1].getPort(), 1);
        assert.strictEqual(all[2].getDiscoveryKey(), 'key1');
        assert.instanceOf(all[2], ConnectionParams);
    });

    test('register: no-op without discovery key or references', async () => {
        const resolver = new ConnectionResolver();
        await resolver.register(null, ConnectionParams.fromTuples('host', 'h'));
        await resolver.register(null, ConnectionParams.fromTuples('discovery_key', 'k'));
        assert.lengthOf(resolver.getAll(), 0);
    });

    test('register: registers with every discovery (zero is fine), then appends', async () => {
        const resolver = new ConnectionResolver(null, new References());
        await resolver.register(null, ConnectionParams.fromTuples('discovery_key', 'k', 'host', 'h0'));
        assert.lengthOf(resolver.getAll(), 1);

        const d1 = new MemoryDiscovery();
        const d2 = new MemoryDiscovery();
        resolver.setReferences(References.fromTuples(discoveryLocator, d1, discoveryLocator, d2));
        await resolver.register(null, ConnectionParams.fromTuples('discovery_key', 'k', 'host', 'h1'));
        assert.lengthOf(resolver.getAll(), 2);
        assert.strictEqual((await d1.resolveOne(null, 'k')).getHost(), 'h1');
        assert.strictEqual((await d2.resolveOne(null, 'k')).getHost(), 'h1');
    });
});

/*
 * Contract edge cases (§2.4) → test:
 * - configure appends (root-level ignored) → 'constructor configures and configure appends'
 * - getAll live array → 'getAll returns the live array…'
 * - no connections → null → 'resolve with no connections → null'
 * - first non-discovery connection returned at once → 'resolve returns the first non-discovery…'
 * - references unset → null → 'discovery connection without references → null'
 * - references set, no discovery → ReferenceException ending *:discovery:*:*:* → 'references set but no discovery…'
 * - merge, discovered wins, discovery_key kept → 'resolve merges discovered params…'
 * - newest discovery first, until non-null → 'discoveries are asked newest first…'
 * - last resolved wins → 'resolve does not stop early…'
 * - resolveAll order and merge → 'resolveAll: non-discovery first…'
 * - register rules → 'register: no-op…', 'register: registers with every discovery…'
 */

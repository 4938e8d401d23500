import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { ConnectionParams, MemoryDiscovery } from '../../src';

suite('MemoryDiscovery', () => {
    const config = ConfigParams.fromTuples(
        'key1.host', '10.1.1.100', 'key1.port', '8080',
        'key2.host', '10.1.1.101', 'key2.port', '8082');

    test('constructor reads connections from top-level sections', async () => {
        const discovery = new MemoryDiscovery(config);
        const connection = await discovery.resolveOne(null, 'key1');
        assert.instanceOf(connection, ConnectionParams);
        assert.strictEqual(connection.getHost(), '10.1.1.100');
        assert.strictEqual(connection.getPort(), 8080);
        assert.strictEqual((await discovery.resolveOne(null, 'key2')).getPort(), 8082);
    });

    test('configure is a no-op', async () => {
        const discovery = new MemoryDiscovery();
        discovery.configure(config);
        assert.isNull(await discovery.resolveOne(null, 'key1'));
        assert.deepEqual(await discovery.resolveAll(null, 'key1'), []);
    });

    test('readConnections clears previous connections', async () => {
        const discovery = new MemoryDiscovery(config);
        discovery.readConnections(ConfigParams.fromTuples('key3.host', 'h3'));
        assert.isNull(await discovery.resolveOne(null, 'key1'));
        assert.strictEqual((await discovery.resolveOne(null, 'key3')).getHost(), 'h3');
    });

    test('register appends a copy and resolves to the argument', async () => {
        const discovery = new MemoryDiscovery(config);
        const connection = ConnectionParams.fromTuples('host', 'extra');
        const result = await discovery.register(null, 'key1', connection);
        assert.strictEqual(result, connection);
        connection.setHost('mutated');

        assert.strictEqual((await discovery.resolveOne(null, 'key1')).getHost(), '10.1.1.100');
        const all = await discovery.resolveAll(null, 'key1');
        assert.lengthOf(all, 2);
        assert.strictEqual(all[1].getHost(), 'extra');
    });

    test('resolveOne → null and resolveAll → [] for unknown keys; keys exact-case', async () => {
        const discovery = new MemoryDiscovery(config);
        assert.isNull(await discovery.resolveOne(null, 'missing'));
        assert.deepEqual(await discovery.resolveAll(null, 'missing'), []);
        assert.isNull(await discovery.resolveOne(null, 'KEY1'));
    });
});

/*
 * Contract edge cases (§2.3) → test:
 * - configure is a no-op → 'configure is a no-op'
 * - readConnections clears; sections become keys → 'constructor reads…', 'readConnections clears…'
 * - register appends a copy, resolves to argument → 'register appends a copy…'
 * - resolveOne null / resolveAll [] / exact-case keys → 'resolveOne → null…'
 */

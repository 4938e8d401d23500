import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { ConnectionParams } from '../../src';

suite('ConnectionParams', () => {
    test('extends ConfigParams', () => {
        const connection = new ConnectionParams({ host: 'h', port: 1 });
        assert.instanceOf(connection, ConfigParams);
        assert.strictEqual(connection.get('port'), '1');
    });

    test('discovery key', () => {
        const connection = new ConnectionParams();
        assert.isFalse(connection.useDiscovery());
        assert.isNull(connection.getDiscoveryKey());
        connection.put('discovery_key', '');
        assert.isFalse(connection.useDiscovery());
        connection.setDiscoveryKey('key1');
        assert.isTrue(connection.useDiscovery());
        assert.strictEqual(connection.getDiscoveryKey(), 'key1');
    });

    test('protocol', () => {
        const connection = new ConnectionParams();
        assert.isNull(connection.getProtocol());
        assert.strictEqual(connection.getProtocolWithDefault('redis'), 'redis');
        connection.setProtocol('tcp');
        assert.strictEqual(connection.getProtocol(), 'tcp');
        assert.strictEqual(connection.getProtocolWithDefault('redis'), 'tcp');
    });

    test('getHost falls back to ip; setHost writes host', () => {
        const connection = ConnectionParams.fromTuples('ip', '10.0.0.1');
        assert.strictEqual(connection.getHost(), '10.0.0.1');
        connection.setHost('redis');
        assert.strictEqual(connection.get('host'), 'redis');
        assert.strictEqual(connection.getHost(), 'redis');
        assert.isNull(new ConnectionParams().getHost());
    });

    test('getPort is 0 when absent or unparsable', () => {
        assert.strictEqual(new ConnectionParams().getPort(), 0);
        assert.strictEqual(ConnectionParams.fromTuples('port', 'abc').getPort(), 0);
        assert.strictEqual(ConnectionParams.fromTuples('port', 'abc').getPortWithDefault(6379), 6379);
        assert.strictEqual(new ConnectionParams().getPortWithDefault(6379), 6379);
        const connection = new ConnectionParams();
        connection.setPort(6380);
        assert.strictEqual(connection.get('port'), '6380');
        assert.strictEqual(connection.getPort(), 6380);
    });

    test('uri', () => {
        const connection = ConnectionParams.fromTuples('uri', '');
        assert.isNull(connection.getUri());
        connection.setUri('redis://localhost:6379');
        assert.strictEqual(connection.getUri(), 'redis://localhost:6379');
    });

    test('fromString and fromTuples return ConnectionParams', () => {
        const fromString = ConnectionParams.fromString('host=h;port=1');
        assert.instanceOf(fromString, ConnectionParams);
        assert.strictEqual(fromString.getHost(), 'h');
        assert.strictEqual(fromString.getPort(), 1);
        const fromTuples = ConnectionParams.fromTuples('host', 'h', 'port', 2);
        assert.instanceOf(fromTuples, ConnectionParams);
        assert.strictEqual(fromTuples.getPort(), 2);
    });

    test('manyFromConfig: one connection per connections.<name> sub-section', () => {
        const config = ConfigParams.fromTuples(
            'connections.a.host', 'ha', 'connections.a.port', 1,
            'connections.b.host', 'hb',
            'connection.host', 'ignored');
        const connections = ConnectionParams.manyFromConfig(config);
        assert.lengthOf(connections, 2);
        assert.instanceOf(connections[0], ConnectionParams);
        assert.strictEqual(connections[0].getHost(), 'ha');
        assert.strictEqual(connections[0].getPort(), 1);
        assert.strictEqual(connections[1].getHost(), 'hb');
    });

    test('manyFromConfig: single connection section', () => {
        const config = ConfigParams.fromTuples('connection.host', 'h', 'connection.port', 6379);
        const connections = ConnectionParams.manyFromConfig(config);
        assert.lengthOf(connections, 1);
        assert.strictEqual(connections[0].getHost(), 'h');
        assert.strictEqual(connections[0].getPort(), 6379);
    });

    test('manyFromConfig never reads root-level host/port/uri', () => {
        const config = ConfigParams.fromTuples('host', 'h', 'port', 6379, 'uri', 'redis://h:6379');
        assert.deepEqual(ConnectionParams.manyFromConfig(config), []);
        assert.isNull(ConnectionParams.fromConfig(config));
    });

    test('manyFromConfig: connections.host=x yields one empty connection', () => {
        const connections = ConnectionParams.manyFromConfig(ConfigParams.fromTuples('connections.host', 'x'));
        assert.lengthOf(connections, 1);
        assert.strictEqual(connections[0].length(), 0);
    });

    test('manyFromConfig is case-sensitive about section names', () => {
        assert.deepEqual(ConnectionParams.manyFromConfig(ConfigParams.fromTuples('Connection.host', 'h')), []);
    });

    test('fromConfig returns the first connection or null', () => {
        const config = ConfigParams.fromTuples('connections.a.host', 'ha', 'connections.b.host', 'hb');
        assert.strictEqual(ConnectionParams.fromConfig(config).getHost(), 'ha');
        assert.isNull(ConnectionParams.fromConfig(new ConfigParams()));
    });
});

/*
 * Contract edge cases (§2.1) → test:
 * - useDiscovery needs a non-empty discovery_key; getDiscoveryKey null → 'discovery key'
 * - getHost falls back to ip → 'getHost falls back to ip…'
 * - getPort 0 when absent/unparsable → 'getPort is 0…'
 * - getUri null when empty → 'uri'
 * - manyFromConfig connections/connection rules → 'manyFromConfig: one connection per…', '…single…'
 * - root-level host/port/uri never read → 'manyFromConfig never reads root-level…'
 * - connections.host=x → one empty connection → 'manyFromConfig: connections.host=x…'
 * - fromConfig first or null → 'fromConfig returns…'
 */

import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisConnection } from '../../src/connect/RedisConnection';
import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { assertException, failureOf, textOf } from '../support/Errors';

const PASSWORD = 'pa55:w@rd/secret';

async function open(config: ConfigParams): Promise<RedisConnection> {
    const connection = new RedisConnection();
    connection.configure(config);
    await connection.open(null as any);
    return connection;
}

suite('RedisConnection', () => {
    suite('with ACL users and passwords', () => {
        let server: RedisServer;

        suiteSetup(async () => {
            server = await RedisServer.start({ password: PASSWORD, user: { name: 'alice', password: PASSWORD } });
        });
        suiteTeardown(async () => { await server.stop(); });

        test('username and password from the credential section log in as that ACL user', async () => {
            const connection = await open(ConfigParams.fromTuples(
                'connection.host', server.host, 'connection.port', server.port,
                'credential.username', 'alice', 'credential.password', PASSWORD));
            try {
                assert.equal(await connection.call(null as any, c => c.sendCommand(['ACL', 'WHOAMI'])), 'alice');
            } finally {
                await connection.close(null as any);
            }
        });

        test('a password alone logs in as the default user', async () => {
            const connection = await open(ConfigParams.fromTuples(
                'connection.host', server.host, 'connection.port', server.port, 'credential.password', PASSWORD));
            try {
                assert.equal(await connection.call(null as any, c => c.sendCommand(['ACL', 'WHOAMI'])), 'default');
            } finally {
                await connection.close(null as any);
            }
        });

        test('a uri carries user, password and database', async () => {
            const uri = 'redis://alice:' + encodeURIComponent(PASSWORD) + '@' + server.host + ':' + server.port + '/2';
            const connection = await open(ConfigParams.fromTuples('connection.uri', uri));
            try {
                assert.equal(await connection.call(null as any, c => c.sendCommand(['ACL', 'WHOAMI'])), 'alice');
                const info: string = await connection.call(null as any, c => c.sendCommand(['CLIENT', 'INFO']));
                assert.match(info, / db=2 /);
                assert.equal(connection.getEndpoint(), server.host + ':' + server.port + '/2');
            } finally {
                await connection.close(null as any);
            }
        });

        test('a wrong password fails at once with AUTH_FAILED and never shows the password', async () => {
            const wrong = 'not-the-' + PASSWORD;
            const connection = new RedisConnection();
            connection.configure(ConfigParams.fromTuples(
                'connection.host', server.host, 'connection.port', server.port,
                'credential.username', 'alice', 'credential.password', wrong, 'options.connect_timeout', 10000));
            const started = Date.now();
            const err = await failureOf(() => connection.open('trace-auth'));
            assertException(err, 'ConnectionException', 'AUTH_FAILED');
            assert.isBelow(Date.now() - started, 5000, 'refused credentials are not retried until the timeout');
            assert.equal(err.trace_id, 'trace-auth');
            assert.notInclude(textOf(err), wrong);
            assert.notInclude(textOf(err), 'pa55');
            assert.isFalse(connection.isOpen());
        });

        test('no password and a server that wants one fails with AUTH_FAILED', async () => {
            const connection = new RedisConnection();
            connection.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port));
            assertException(await failureOf(() => connection.open(null as any)), 'ConnectionException', 'AUTH_FAILED');
        });
    });

    test('open against a port where nothing listens fails within the connect timeout', async () => {
        const server = await RedisServer.start();
        await server.stop();   // a port that was just free and has nothing on it now
        const connection = new RedisConnection();
        connection.configure(ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port, 'options.connect_timeout', 1000));
        const started = Date.now();
        const err = await failureOf(() => connection.open(null as any));
        assertException(err, 'ConnectionException', 'CONNECT_FAILED');
        assert.include(err.message, 'ECONNREFUSED');
        assert.isBelow(Date.now() - started, 2500);
        assert.isFalse(connection.isOpen());
    });

    test('open against a frozen server fails within the connect timeout', async () => {
        const server = await RedisServer.start();
        server.pause();
        try {
            const connection = new RedisConnection();
            connection.configure(ConfigParams.fromTuples(
                'connection.host', server.host, 'connection.port', server.port, 'options.connect_timeout', 1000));
            const started = Date.now();
            const err = await failureOf(() => connection.open(null as any));
            assertException(err, 'ConnectionException', 'CONNECT_TIMEOUT');
            assert.isBelow(Date.now() - started, 2500);
        } finally {
            await server.stop();
        }
    });

    test('open waits for a server that starts late, within the connect timeout', async () => {
        const server = await RedisServer.start();
        await server.stop();
        const connection = new RedisConnection();
        connection.configure(ConfigParams.fromTuples(
            'connection.host', server.host, 'connection.port', server.port, 'options.connect_timeout', 10000));
        const opening = connection.open(null as any);
        await server.restart();
        await opening;
        try {
            assert.equal(await connection.call(null as any, c => c.sendCommand(['PING'])), 'PONG');
        } finally {
            await connection.close(null as any);
            await server.stop();
        }
    });

    suite('configuration errors', () => {
        const cases: [string, any[], string, string, string][] = [
            ['port out of range', ['connection.host', 'h', 'connection.port', 70000], 'INVALID_PORT', 'port', '70000'],
            ['port not a number', ['connection.host', 'h', 'connection.port', 'abc'], 'INVALID_PORT', 'port', 'abc'],
            ['uri scheme', ['connection.uri', 'http://u:hidden@h:1'], 'UNSUPPORTED_PROTOCOL', 'protocol', 'http'],
            ['protocol', ['connection.host', 'h', 'connection.protocol', 'tcp'], 'UNSUPPORTED_PROTOCOL', 'protocol', 'tcp'],
            ['database', ['connection.host', 'h', 'connection.database', '-1'], 'INVALID_DATABASE', 'database', '-1'],
            ['uri database', ['connection.uri', 'redis://:hidden@h:1/x'], 'INVALID_DATABASE', 'database', 'x'],
            ['uri without host', ['connection.uri', 'redis://:hidden@/0'], 'INVALID_URI', 'uri', 'redis://***@/0']
        ];
        for (const [name, tuples, code, detail, value] of cases) {
            test(name + ' is a ConfigException ' + code, async () => {
                const connection = new RedisConnection();
                connection.configure(ConfigParams.fromTuples(...tuples));
                const err = await failureOf(() => connection.open(null as any));
                assertException(err, 'ConfigException', code);
                assert.equal(err.details.get(detail), value);
                assert.notInclude(textOf(err), 'hidden');
            });
        }

        test('a timeout option that is not a positive integer', () => {
            const connection = new RedisConnection();
            let err: any = null;
            try { connection.configure(ConfigParams.fromTuples('options.connect_timeout', '0')); } catch (e) { err = e; }
            assertException(err, 'ConfigException', 'INVALID_OPTION');
            assert.equal(err.details.get('option'), 'connect_timeout');
        });
    });

    test('calls before open get NOT_OPENED', async () => {
        const connection = new RedisConnection();
        connection.configure(await TestRedis.config());
        assertException(await failureOf(() => connection.call(null as any, c => c.get('k'))), 'InvalidStateException', 'NOT_OPENED');
    });
});

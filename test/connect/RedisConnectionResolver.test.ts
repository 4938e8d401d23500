import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisConnectionResolver } from '../../src/connect/RedisConnectionResolver';
import { assertException, failureOf, textOf } from '../support/Errors';

async function resolve(...tuples: any[]) {
    const resolver = new RedisConnectionResolver();
    resolver.configure(ConfigParams.fromTuples(...tuples));
    return await resolver.resolve(null as any);
}

suite('RedisConnectionResolver', () => {
    suite('uri', () => {
        const cases: [string, string, object][] = [
            ['percent-encoded user and password', 'rediss://us%40er:p%3Ass%2F%23%3F%25@h:6380/3',
                { host: 'h', port: 6380, database: 3, tls: true, username: 'us@er', password: 'p:ss/#?%' }],
            ['sub-delimiters raw in the password', "redis://:p;=&!$'()*+,~-._@h",
                { host: 'h', port: 6379, database: 0, tls: false, username: undefined, password: "p;=&!$'()*+,~-._" }],
            ['a colon in the password (only the first one separates the user)', 'redis://u:a:b@h:1',
                { host: 'h', port: 1, username: 'u', password: 'a:b' }],
            ['no userinfo', 'redis://h:7000/2', { host: 'h', port: 7000, database: 2, username: undefined, password: undefined }],
            ['IPv6 host', 'redis://[::1]:7000', { host: '::1', port: 7000 }],
            ['upper-case scheme', 'REDISS://h', { host: 'h', tls: true }],
            ['an encoded % that looks like an escape', 'redis://:%2541@h', { password: '%41' }],
            ['a raw @ in the password (the last @ separates)', 'redis://u:p@ss@h:1', { host: 'h', username: 'u', password: 'p@ss' }],
            ['a raw space and brackets in the password', 'redis://u:a b[c]@h', { host: 'h', password: 'a b[c]' }]
        ];
        for (const [name, uri, expected] of cases) {
            test(name, async () => {
                const endpoint: any = await resolve('connection.uri', uri);
                for (const [key, value] of Object.entries(expected)) assert.strictEqual(endpoint[key], value, key);
                assert.notInclude(endpoint.endpoint, '@');
            });
        }

        test('a user without a password is refused: node-redis would connect as the default user', async () => {
            const err = await resolve('connection.uri', 'redis://alice@h').catch(e => e);
            assert.equal(err?.code, 'MISSING_PASSWORD', String(err?.stack ?? err));
            assert.equal(err.details.get('username'), 'alice');
        });

        test('the credential section overrides the uri', async () => {
            const endpoint = await resolve('connection.uri', 'redis://u:p@h', 'credential.username', 'v', 'credential.password', 'q');
            assert.equal(endpoint.username, 'v');
            assert.equal(endpoint.password, 'q');
        });

        const invalid: [string, string, string, string][] = [
            ['a raw / in the password', 'redis://u:se/cret@h:1/0', 'INVALID_URI', 'redis://***@h:1/0'],
            ['a raw # in the password', 'redis://u:se#cret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['a raw ? in the password', 'redis://u:se?cret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['a raw \\ in the password', 'redis://u:se\\cret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['a stray % in the password', 'redis://u:se%cret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['a bad escape in the password', 'redis://u:se%zzcret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['an escape that is not UTF-8', 'redis://u:se%FFcret@h:1', 'INVALID_URI', 'redis://***@h:1'],
            ['no scheme', 'u:secret@h:1', 'INVALID_URI', '***@h:1'],
            ['no host', 'redis://u:secret@:1', 'INVALID_URI', 'redis://***@:1']
        ];
        for (const [name, uri, code, shown] of invalid) {
            test(name + ' is ' + code + ' and shows ' + shown, async () => {
                const err = await failureOf(() => resolve('connection.uri', uri));
                assertException(err, 'ConfigException', code);
                assert.equal(err.details.get('uri'), shown);
                assert.notInclude(textOf(err), 'cret');
            });
        }

        test('a port out of range is INVALID_PORT naming the port', async () => {
            const err = await failureOf(() => resolve('connection.uri', 'redis://u:secret@h:70000/0'));
            assertException(err, 'ConfigException', 'INVALID_PORT');
            assert.equal(err.details.get('port'), '70000');
        });
    });

    test('redactUri hides everything up to the last @', () => {
        assert.equal(RedisConnectionResolver.redactUri('redis://u:p/a#s?s@w@h:1/0'), 'redis://***@h:1/0');
        assert.equal(RedisConnectionResolver.redactUri('redis://h:1/0'), 'redis://h:1/0');
        assert.equal(RedisConnectionResolver.redactUri('u:p@h'), '***@h');
    });

    test('TLS files and options are read only for TLS, from the credential or the root level', async () => {
        const plain = await resolve('connection.uri', 'redis://h');
        assert.isUndefined(plain.tlsOptions);
        const bare = await resolve('connection.uri', 'rediss://h');
        assert.deepEqual(bare.tlsOptions, {});
        const options = await resolve('host', 'h', 'protocol', 'rediss',
            'options.ssl_reject_unauthorized', 'false', 'options.ssl_servername', 'redis.test');
        assert.deepEqual(options.tlsOptions, { rejectUnauthorized: false, servername: 'redis.test' });
        const root = await failureOf(() => resolve('host', 'h', 'protocol', 'rediss', 'ssl_ca_file', '/no/such/ca.pem'));
        assertException(root, 'ConfigException', 'INVALID_SSL_FILE');
        assert.equal(root.details.get('path'), '/no/such/ca.pem');
    });
});

import { assert } from 'chai';
import { readFileSync } from 'fs';
import { inspect } from 'util';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisConnection } from '../../src/connect/RedisConnection';
import { RedisCache } from '../../src/cache/RedisCache';
import { RedisLock } from '../../src/lock/RedisLock';
import { RedisServer } from '../support/RedisServer';
import { TestCertificates } from '../support/TestCertificates';
import { failureOf, textOf } from '../support/Errors';

// Secrets full of the characters that break URIs. Every run of letters and digits in them is
// distinctive, so a partial leak (a password cut at '/' or '#') is caught, not only a whole one.
const PASSWORD = 'Zq7k:Wv3m@Hx9p/Rt2s%Jn5c;Bd8f=Lg4h#Yp6w?Mk1x';
const OTHER_PASSWORD = 'Qe4t/Xr8y@%41Co3v:Nu6i#?;=Dz1a';
const USERNAME = 'Ux4e:Ky7d@Ob2n/Fm9t%Eh6q;Cv3r=Gw8s#Ta5j?Pn2b';
const SECRETS = [PASSWORD, OTHER_PASSWORD, USERNAME];

function fragments(secret: string): string[] {
    return secret.split(/[^A-Za-z0-9]+/).filter(part => part.length >= 4);
}

/** Everything that could show the object: error text, deep inspect (also hidden properties), JSON. */
function everythingShown(value: any, json = true): string {
    let text = '';
    if (json) {
        try { text = JSON.stringify(value); } catch (err: any) { assert.fail('JSON.stringify threw: ' + err?.message); }
    }
    const deep = inspect(value, { depth: Infinity });
    const hidden = inspect(value, { depth: Infinity, showHidden: true });
    return [value instanceof Error ? textOf(value) : '', deep, hidden, text, String(value)].join('\n');
}

function assertNoSecret(value: any, what: string, extraSecrets: string[] = [], json = true): void {
    const text = everythingShown(value, json);
    for (const secret of [...SECRETS, ...extraSecrets]) {
        for (const part of fragments(secret)) {
            assert.notInclude(text, part, what + ' shows a piece of a secret');
        }
        assert.notInclude(text, encodeURIComponent(secret), what + ' shows an encoded secret');
    }
}

const enc = encodeURIComponent;

/**
 * Resolves once some client is subscribed to a channel whose name contains `key`: the waiting
 * component's subscriber connection is then open (pub/sub has no event to wait on from outside).
 */
async function untilSubscribed(config: ConfigParams, key: string): Promise<void> {
    const probe = new RedisConnection();
    probe.configure(config);
    await probe.open(null);
    try {
        for (let i = 0; i < 2000; i++) {
            const channels: string[] = await probe.call(null, c => c.sendCommand(['PUBSUB', 'CHANNELS', '*' + key + '*']));
            if (channels.length > 0) return;
            await new Promise(resolve => setImmediate(resolve));
        }
        assert.fail('the waiter never subscribed');
    } finally {
        await probe.close(null);
    }
}

suite('Secrets never show', function () {
    this.timeout(30000);
    let server: RedisServer;
    let deadPort: number;

    suiteSetup(async () => {
        server = await RedisServer.start({ password: PASSWORD, user: { name: USERNAME, password: OTHER_PASSWORD } });
        const dead = await RedisServer.start();
        deadPort = dead.port;
        await dead.stop();
    });

    suiteTeardown(async () => { await server?.stop(); });

    suite('in the errors of configure and open', () => {
        const address = () => server.host + ':' + server.port;
        // [name, configuration tuples, expected code (alternatives separated by |: which of them
        // a connect that runs out of time reports depends on the timing; the secrets are the point here)]
        const cases = (): [string, any[], string][] => {
            const result: [string, any[], string][] = [];
            for (const secret of [PASSWORD, OTHER_PASSWORD]) {
                const tag = secret == PASSWORD ? '' : ' (2nd password)';
                result.push(
                    ['raw password in a uri' + tag, ['connection.uri', 'redis://user:' + secret + '@' + address() + '/0'], 'INVALID_URI'],
                    ['raw password without a user' + tag, ['connection.uri', 'redis://:' + secret + '@' + address()], 'INVALID_URI'],
                    ['raw user and password' + tag, ['connection.uri', 'redis://' + USERNAME + ':' + secret + '@' + address()], 'INVALID_URI'],
                    ['raw password, no scheme' + tag, ['connection.uri', 'user:' + secret + '@' + address()], 'INVALID_URI'],
                    ['raw password, bad database' + tag, ['connection.uri', 'redis://u:' + secret + '@h:1/x'], 'INVALID_URI'],
                    ['encoded password, bad database' + tag, ['connection.uri', 'redis://u:' + enc(secret) + '@h:1/x'], 'INVALID_DATABASE'],
                    ['encoded password, bad port' + tag, ['connection.uri', 'redis://u:' + enc(secret) + '@h:99999/0'], 'INVALID_PORT'],
                    ['encoded password, no host' + tag, ['connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(secret) + '@/0'], 'INVALID_URI'],
                    ['encoded password, bad scheme' + tag, ['connection.uri', 'http://u:' + enc(secret) + '@h:1'], 'UNSUPPORTED_PROTOCOL'],
                    ['encoded password, bad percent escape' + tag, ['connection.uri', 'redis://u:' + enc(secret) + '%E0%A4@h:1'], 'INVALID_URI'],
                    ['credential, bad port' + tag, ['connection.host', 'h', 'connection.port', 99999,
                        'credential.username', USERNAME, 'credential.password', secret], 'INVALID_PORT'],
                    ['credential, bad database' + tag, ['connection.host', 'h', 'connection.database', 'x',
                        'credential.username', USERNAME, 'credential.password', secret], 'INVALID_DATABASE'],
                    ['TLS settings without TLS' + tag, ['connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(secret) + '@' + address(),
                        'options.ssl_servername', 'redis.test'], 'TLS_NOT_ENABLED']
                );
                // Failures that need the network handle the password the same way whichever it is:
                // once is enough.
                if (secret != PASSWORD) continue;
                result.push(
                    ['wrong password for the default user in a uri' + tag,
                        ['connection.uri', 'redis://:' + enc(secret + 'x') + '@' + address()], 'AUTH_FAILED'],
                    ['wrong password for the ACL user in a uri' + tag,
                        ['connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(secret + 'x') + '@' + address()], 'AUTH_FAILED'],
                    ['wrong password in the credential' + tag, ['connection.host', server.host, 'connection.port', server.port,
                        'credential.username', USERNAME, 'credential.password', secret + 'x'], 'AUTH_FAILED'],
                    ['unknown user in the credential' + tag, ['connection.host', server.host, 'connection.port', server.port,
                        'credential.username', USERNAME + 'x', 'credential.password', secret], 'AUTH_FAILED'],
                    ['root-level password, wrong' + tag, ['host', server.host, 'port', server.port, 'password', secret + 'x'], 'AUTH_FAILED'],
                    ['unreachable, password in a uri' + tag,
                        ['connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(secret) + '@127.0.0.1:' + deadPort,
                            'options.connect_timeout', 300], 'CONNECT_FAILED|CONNECT_TIMEOUT'],
                    ['unreachable, password in the credential' + tag, ['connection.host', '127.0.0.1', 'connection.port', deadPort,
                        'credential.username', USERNAME, 'credential.password', secret, 'options.connect_timeout', 300],
                    'CONNECT_FAILED|CONNECT_TIMEOUT'],
                    ['TLS asked of a plaintext server' + tag, ['connection.uri', 'rediss://' + enc(USERNAME) + ':' + enc(secret) + '@' + address(),
                        'options.connect_timeout', 300], 'CONNECT_TIMEOUT|CONNECT_FAILED|TLS_FAILED']
                );
            }
            return result;
        };

        test('RedisConnection, RedisLock and RedisCache: every failure keeps user and password out', async () => {
            let checked = 0;
            for (const [name, tuples, code] of cases()) {
                for (const make of [() => new RedisConnection(), () => new RedisLock(), () => new RedisCache()]) {
                    const component = make();
                    const kind = component.constructor.name;
                    let err: any;
                    try {
                        component.configure(ConfigParams.fromTuples(...tuples));
                        err = await failureOf(() => component.open(null));
                    } catch (configureError) {
                        err = configureError;
                    }
                    assert.include(code.split('|'), err?.code, kind + ', ' + name + ': ' + err?.stack);
                    assertNoSecret(err, kind + ', ' + name + ' (error)');
                    assertNoSecret(component, kind + ', ' + name + ' (component after the failure)');
                    await component.close(null);
                    checked++;
                }
            }
            assert.isAtLeast(checked, 90);
        });

        test('an INVALID_URI still shows where it pointed, with the userinfo as ***', async () => {
            const connection = new RedisConnection();
            connection.configure(ConfigParams.fromTuples('connection.uri', 'redis://' + USERNAME + ':' + PASSWORD + '@h.example:7000/1'));
            const err = await failureOf(() => connection.open(null));
            assert.equal(err.code, 'INVALID_URI');
            assert.equal(err.details.get('uri'), 'redis://***@h.example:7000/1');
        });
    });

    suite('in inspect and JSON of the components', () => {
        const configs = (): [string, any[]][] => [
            ['uri', ['connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(OTHER_PASSWORD) + '@' + server.host + ':' + server.port + '/1']],
            ['credential section', ['connection.host', server.host, 'connection.port', server.port,
                'credential.username', USERNAME, 'credential.password', OTHER_PASSWORD]],
            ['root level', ['host', server.host, 'port', server.port, 'password', PASSWORD]]
        ];

        test('RedisLock: configured, open with a waiter subscribed, and closed', async () => {
            for (const [name, tuples] of configs()) {
                const config = ConfigParams.fromTuples(...tuples, 'options.retry_timeout', 60000);
                const holder = new RedisLock();
                const waiter = new RedisLock();
                holder.configure(config);
                waiter.configure(config);
                assertNoSecret(holder, name + ': configured lock');
                await holder.open(null);
                await waiter.open(null);
                try {
                    assert.isTrue(await holder.tryAcquireLock(null, 'secret-sweep', 60000));
                    const lease = await holder.acquire(null, 'secret-sweep-lease', { ttl: 60000, watchdog: true });
                    const waiting = waiter.acquireLock(null, 'secret-sweep', 60000, 20000);
                    waiting.catch(() => undefined);
                    await untilSubscribed(config, 'secret-sweep');
                    assertNoSecret(holder, name + ': open lock holding a lease');
                    // A lease with a watchdog holds timers, which JSON cannot serialize (circular): inspect only.
                    assertNoSecret(lease, name + ': lease', [], false);
                    assertNoSecret(waiter, name + ': open lock with a waiter');
                    assert.include(inspect(holder, { depth: Infinity }), 'RedisConnection { endpoint: \'' + server.host + ':' + server.port);
                    await holder.releaseLock(null, 'secret-sweep');
                    await waiting;
                    await lease.release();
                    await waiter.releaseLock(null, 'secret-sweep');
                } finally {
                    await holder.close(null);
                    await waiter.close(null);
                }
                assertNoSecret(holder, name + ': closed lock');
                assertNoSecret(waiter, name + ': closed waiter lock');
            }
        });

        test('RedisCache: configured, open after store and getOrSet, and closed', async () => {
            for (const [name, tuples] of configs()) {
                const cache = new RedisCache();
                cache.configure(ConfigParams.fromTuples(...tuples));
                assertNoSecret(cache, name + ': configured cache');
                await cache.open(null);
                try {
                    await cache.store(null, 'secret-sweep-value', { a: 1 }, 10000);
                    assert.equal(await cache.getOrSet(null, 'secret-sweep-fill', 10000, async () => 'filled'), 'filled');
                    assertNoSecret(cache, name + ': open cache');
                } finally {
                    await cache.close(null);
                }
                assertNoSecret(cache, name + ': closed cache');
            }
        });

        test('RedisConnection: configured, open with a subscriber, and closed; JSON and inspect show the endpoint', async () => {
            for (const [name, tuples] of configs()) {
                const connection = new RedisConnection();
                connection.configure(ConfigParams.fromTuples(...tuples));
                assert.deepEqual(JSON.parse(JSON.stringify(connection)), { endpoint: null, tls: null, open: false });
                assertNoSecret(connection, name + ': configured connection');
                await connection.open(null);
                const subscriber = await connection.openSubscriber(null);
                try {
                    const endpoint = connection.getEndpoint();
                    assert.deepEqual(JSON.parse(JSON.stringify(connection)), { endpoint, tls: false, open: true });
                    assert.equal(inspect(connection), 'RedisConnection { endpoint: \'' + endpoint + '\', tls: false, open: true }');
                    assertNoSecret(connection, name + ': open connection');
                    assertNoSecret(subscriber, name + ': subscriber');
                } finally {
                    await subscriber.close();
                    await connection.close(null);
                }
                assertNoSecret(connection, name + ': closed connection');
            }
        });

        test('over TLS with a client key: neither the password nor the key shows', async () => {
            const certs = TestCertificates.get();
            const keyLines = readFileSync(certs.client.key, 'utf8').split('\n').filter(line => line.length > 20 && !line.startsWith('-----'));
            const tlsServer = await RedisServer.start({ password: PASSWORD, tls: {
                certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca.cert, authClients: true } });
            try {
                const config = ConfigParams.fromTuples(
                    'connection.uri', 'rediss://:' + enc(PASSWORD) + '@' + tlsServer.host + ':' + tlsServer.port,
                    'credential.ssl_ca_file', certs.ca.cert, 'credential.ssl_crt_file', certs.client.cert,
                    'credential.ssl_key_file', certs.client.key, 'options.retry_timeout', 60000);
                const holder = new RedisLock();
                const waiter = new RedisLock();
                holder.configure(config);
                waiter.configure(config);
                await holder.open(null);
                await waiter.open(null);
                try {
                    assert.isTrue(await holder.tryAcquireLock(null, 'secret-tls', 60000));
                    const waiting = waiter.acquireLock(null, 'secret-tls', 60000, 20000);
                    waiting.catch(() => undefined);
                    await untilSubscribed(config, 'secret-tls');
                    assertNoSecret(holder, 'TLS lock', keyLines);
                    assertNoSecret(waiter, 'TLS waiter', keyLines);
                    assert.include(inspect(waiter), 'tls: true');
                    await holder.releaseLock(null, 'secret-tls');
                    await waiting;
                    assertNoSecret(waiter, 'TLS waiter after the hand-off', keyLines);
                    await waiter.releaseLock(null, 'secret-tls');
                } finally {
                    await holder.close(null);
                    await waiter.close(null);
                }
                assertNoSecret(holder, 'closed TLS lock', keyLines);

                // A wrong password over TLS: AUTH_FAILED, nothing of the password or the key.
                const wrong = new RedisConnection();
                wrong.configure(ConfigParams.fromTuples(
                    'connection.uri', 'rediss://:' + enc(OTHER_PASSWORD) + '@' + tlsServer.host + ':' + tlsServer.port,
                    'credential.ssl_ca_file', certs.ca.cert, 'credential.ssl_crt_file', certs.client.cert,
                    'credential.ssl_key_file', certs.client.key));
                const err = await failureOf(() => wrong.open(null));
                assert.equal(err.code, 'AUTH_FAILED');
                assertNoSecret(err, 'TLS AUTH_FAILED', keyLines);
            } finally {
                await tlsServer.stop();
            }
        });
    });
});

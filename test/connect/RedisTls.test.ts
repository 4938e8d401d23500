import { assert } from 'chai';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ConfigParams, Descriptor, References } from 'pip-services4-components-node';
import { MemoryCredentialStore } from 'pip-services4-config-node';

import { RedisConnection } from '../../src/connect/RedisConnection';
import { RedisCache } from '../../src/cache/RedisCache';
import { RedisLock } from '../../src/lock/RedisLock';
import { CommandTap } from '../support/CommandTap';
import { RedisServer } from '../support/RedisServer';
import { TestCertificates, TestCertificateSet } from '../support/TestCertificates';
import { assertException, failureOf, textOf } from '../support/Errors';

// Three throwaway servers that speak TLS only (no plain port), certificates made by openssl once:
//  - trusted: certificate for 127.0.0.1 from the private CA;
//  - named:   certificate for redis.test only, so host name verification against 127.0.0.1 fails;
//  - mutual:  as trusted, but every client must show a certificate from the private CA.
suite('TLS', function () {
    this.timeout(30000);
    let certs: TestCertificateSet;
    let trusted: RedisServer;
    let named: RedisServer;
    let mutual: RedisServer;
    const opened: { close(context: any): Promise<void> }[] = [];

    function tlsConfig(server: RedisServer, ...tuples: any[]): ConfigParams {
        return ConfigParams.fromTuples('connection.uri', 'rediss://' + server.host + ':' + server.port,
            'options.connect_timeout', 10000, ...tuples);
    }

    async function openConnection(config: ConfigParams): Promise<RedisConnection> {
        const connection = new RedisConnection();
        connection.configure(config);
        await connection.open(null);
        opened.push(connection);
        return connection;
    }

    async function openFailure(config: ConfigParams): Promise<{ err: any, elapsed: number }> {
        const connection = new RedisConnection();
        connection.configure(config);
        const started = Date.now();
        const err = await failureOf(() => connection.open(null));
        assert.isFalse(connection.isOpen());
        return { err, elapsed: Date.now() - started };
    }

    // A waiter that is not woken would retry only after retry_timeout (60 s) or the holder's TTL
    // (60 s), far past its own 8 s timeout: it can only get the lock in time through the release's
    // PUBLISH reaching its subscriber, which on these servers can only be a TLS connection. MONITOR
    // (over TLS as well) shows when the waiter has subscribed.
    async function handOverThroughPubSub(server: RedisServer, tlsTuples: any[], tapTls: object): Promise<void> {
        const config = tlsConfig(server, ...tlsTuples, 'options.retry_timeout', 60000);
        const holder = new RedisLock();
        const waiter = new RedisLock();
        holder.configure(config);
        waiter.configure(config);
        await holder.open(null);
        opened.push(holder);
        await waiter.open(null);
        opened.push(waiter);
        const tap = await CommandTap.start({ host: server.host, port: server.port, tls: true, ...tapTls } as any);
        try {
            assert.isTrue(await holder.tryAcquireLock(null, 'tls-lock', 60000));
            const subscribed = tap.waitFor(line => /"subscribe"/i.test(line), 1);
            const waiting = waiter.acquireLock(null, 'tls-lock', 5000, 8000);
            waiting.catch(() => undefined);   // awaited below; a failure must not also count as unhandled
            await subscribed;
            await holder.releaseLock(null, 'tls-lock');
            await waiting;
            assert.isFalse(await holder.tryAcquireLock(null, 'tls-lock', 1000), 'the waiter holds it now');
            await waiter.releaseLock(null, 'tls-lock');
            assert.isTrue(await holder.tryAcquireLock(null, 'tls-lock', 1000));
            await holder.releaseLock(null, 'tls-lock');
        } finally {
            tap.stop();
        }
    }

    suiteSetup(async () => {
        certs = TestCertificates.get();
        const tls = (cert: { cert: string, key: string }, authClients = false) =>
            ({ certFile: cert.cert, keyFile: cert.key, caFile: certs.ca.cert, authClients });
        [trusted, named, mutual] = await Promise.all([
            RedisServer.start({ tls: tls(certs.server) }),
            RedisServer.start({ tls: tls(certs.namedServer) }),
            RedisServer.start({ tls: tls(certs.server, true) })
        ]);
    });

    teardown(async () => {
        await Promise.all(opened.splice(0).map(c => c.close(null)));
    });

    suiteTeardown(async () => {
        await Promise.all([trusted?.stop(), named?.stop(), mutual?.stop()]);
    });

    suite('a private CA (credential.ssl_ca_file)', () => {
        test('RedisLock acquires, waits (woken through pub/sub over TLS), hands over and releases', async () => {
            await handOverThroughPubSub(trusted, ['credential.ssl_ca_file', certs.ca.cert], { ca: readFileSync(certs.ca.cert) });
        });

        test('RedisCache stores and retrieves', async () => {
            const cache = new RedisCache();
            cache.configure(tlsConfig(trusted, 'credential.ssl_ca_file', certs.ca.cert));
            await cache.open(null);
            opened.push(cache);
            await cache.store(null, 'tls-cache', { over: 'tls' }, 10000);
            assert.deepEqual(await cache.retrieve(null, 'tls-cache'), { over: 'tls' });
            assert.equal(await cache.getOrSet(null, 'tls-fill', 10000, async () => 42), 42);
        });

        test('protocol: rediss with host and port works like a rediss:// uri', async () => {
            const connection = await openConnection(ConfigParams.fromTuples(
                'connection.host', trusted.host, 'connection.port', trusted.port, 'connection.protocol', 'rediss',
                'credential.ssl_ca_file', certs.ca.cert));
            assert.equal(await connection.call(null, c => c.sendCommand(['PING'])), 'PONG');
        });

        test('a credential store can supply the TLS files', async () => {
            const store = new MemoryCredentialStore(ConfigParams.fromTuples('redis-tls.ssl_ca_file', certs.ca.cert));
            const connection = new RedisConnection();
            connection.configure(tlsConfig(trusted, 'credential.store_key', 'redis-tls'));
            connection.setReferences(References.fromTuples(
                new Descriptor('pip-services', 'credential-store', 'memory', 'default', '1.0'), store));
            await connection.open(null);
            opened.push(connection);
            assert.equal(await connection.call(null, c => c.sendCommand(['PING'])), 'PONG');
        });
    });

    test('a server certificate from another CA fails open at once with TLS_FAILED', async () => {
        for (const ca of [certs.otherCa.cert, null]) {
            const { err, elapsed } = await openFailure(tlsConfig(trusted,
                ...(ca != null ? ['credential.ssl_ca_file', ca] : [])));
            assertException(err, 'ConnectionException', 'TLS_FAILED');
            assert.equal(err.details.get('endpoint'), trusted.host + ':' + trusted.port);
            assert.match(err.details.get('reason'), /CERT|SIGNATURE|ISSUER/);
            assert.isBelow(elapsed, 5000, 'not retried until the 10 s connect_timeout');
        }
    });

    test('options.ssl_reject_unauthorized=false connects to a certificate nobody vouches for', async () => {
        const connection = await openConnection(tlsConfig(trusted, 'options.ssl_reject_unauthorized', false));
        assert.equal(await connection.call(null, c => c.sendCommand(['PING'])), 'PONG');
    });

    test('a certificate for another host name fails; options.ssl_servername names the host to verify', async () => {
        const { err } = await openFailure(tlsConfig(named, 'credential.ssl_ca_file', certs.ca.cert));
        assertException(err, 'ConnectionException', 'TLS_FAILED');
        assert.equal(err.details.get('reason'), 'ERR_TLS_CERT_ALTNAME_INVALID');

        const wrongName = await openFailure(tlsConfig(named, 'credential.ssl_ca_file', certs.ca.cert,
            'options.ssl_servername', 'other.test'));
        assertException(wrongName.err, 'ConnectionException', 'TLS_FAILED');

        const connection = await openConnection(tlsConfig(named, 'credential.ssl_ca_file', certs.ca.cert,
            'options.ssl_servername', 'redis.test'));
        assert.equal(await connection.call(null, c => c.sendCommand(['PING'])), 'PONG');
    });

    suite('mutual TLS (--tls-auth-clients yes)', () => {
        test('without a client certificate the server refuses the client: TLS_FAILED', async () => {
            const { err, elapsed } = await openFailure(tlsConfig(mutual, 'credential.ssl_ca_file', certs.ca.cert));
            assertException(err, 'ConnectionException', 'TLS_FAILED');
            assert.isBelow(elapsed, 5000, 'not retried until the 10 s connect_timeout');
        });

        test('with credential.ssl_crt_file and ssl_key_file the client and its subscriber get in', async () => {
            const connection = await openConnection(tlsConfig(mutual, 'credential.ssl_ca_file', certs.ca.cert,
                'credential.ssl_crt_file', certs.client.cert, 'credential.ssl_key_file', certs.client.key));
            assert.equal(await connection.call(null, c => c.sendCommand(['PING'])), 'PONG');
            const subscriber = await connection.openSubscriber(null);
            try {
                const channel = 'tls-subscriber:' + process.pid;
                let heard: (message: string) => void = () => undefined;
                const message = new Promise<string>(resolve => { heard = resolve; });
                await subscriber.subscribe(channel, m => heard(m));
                await connection.call(null, c => c.publish(channel, 'hello'));
                assert.equal(await message, 'hello', 'the subscriber connection works over mutual TLS');
            } finally {
                await subscriber.close();
            }
        });

        test('RedisLock hands over through pub/sub with a client certificate', async () => {
            await handOverThroughPubSub(mutual, ['credential.ssl_ca_file', certs.ca.cert,
                'credential.ssl_crt_file', certs.client.cert, 'credential.ssl_key_file', certs.client.key],
            { ca: readFileSync(certs.ca.cert), cert: readFileSync(certs.client.cert), key: readFileSync(certs.client.key) });
        });
    });

    suite('configuration errors', () => {
        test('a TLS file that cannot be read: INVALID_SSL_FILE naming the key and the path', async () => {
            const missing = join(certs.dir, 'no-such-file.pem');
            for (const key of ['ssl_ca_file', 'ssl_crt_file', 'ssl_key_file']) {
                const others = key == 'ssl_ca_file' ? [] : key == 'ssl_crt_file'
                    ? ['credential.ssl_key_file', certs.client.key] : ['credential.ssl_crt_file', certs.client.cert];
                const { err } = await openFailure(tlsConfig(trusted, 'credential.' + key, missing, ...others));
                assertException(err, 'ConfigException', 'INVALID_SSL_FILE');
                assert.equal(err.details.get('key'), 'credential.' + key);
                assert.equal(err.details.get('path'), missing);
                assert.equal(err.details.get('reason'), 'ENOENT');
            }
        });

        test('files that hold no usable PEM: INVALID_SSL_FILE, never the contents', async () => {
            const clientKey = readFileSync(certs.client.key, 'utf8');
            const serverKey = readFileSync(certs.server.key, 'utf8');
            const cases: [string, any[], string][] = [
                ['a CA file without certificates', ['credential.ssl_ca_file', certs.notPem], 'credential.ssl_ca_file'],
                ['a CA file holding a key', ['credential.ssl_ca_file', certs.client.key], 'credential.ssl_ca_file'],
                ['a certificate file that is not PEM', ['credential.ssl_crt_file', certs.notPem,
                    'credential.ssl_key_file', certs.client.key], 'credential.ssl_crt_file'],
                ['a key file that is not PEM', ['credential.ssl_crt_file', certs.client.cert,
                    'credential.ssl_key_file', certs.notPem], 'credential.ssl_key_file'],
                ['a key that does not match the certificate', ['credential.ssl_crt_file', certs.client.cert,
                    'credential.ssl_key_file', certs.server.key], 'credential.ssl_key_file'],
                ['a certificate without its key', ['credential.ssl_crt_file', certs.client.cert], 'credential.ssl_key_file'],
                ['a key without its certificate', ['credential.ssl_key_file', certs.client.key], 'credential.ssl_crt_file']
            ];
            for (const [name, tuples, key] of cases) {
                const { err } = await openFailure(tlsConfig(trusted, ...tuples));
                assertException(err, 'ConfigException', 'INVALID_SSL_FILE');
                assert.equal(err.details.get('key'), key, name);
                const text = textOf(err);
                for (const secret of [clientKey, serverKey]) {
                    for (const line of secret.split('\n').filter(l => l.length > 20)) assert.notInclude(text, line, name);
                }
            }
        });

        test('TLS settings on a plaintext connection: TLS_NOT_ENABLED, nothing sent in plaintext', async () => {
            const plain = await RedisServer.start();
            try {
                const cases: any[][] = [
                    ['credential.ssl_ca_file', certs.ca.cert],
                    ['credential.ssl_crt_file', certs.client.cert, 'credential.ssl_key_file', certs.client.key],
                    ['options.ssl_reject_unauthorized', true],
                    ['options.ssl_reject_unauthorized', false],
                    ['options.ssl_servername', 'redis.test']
                ];
                const tap = await CommandTap.start(plain);
                try {
                    const before = await tap.mark();
                    for (const tuples of cases) {
                        const { err } = await openFailure(ConfigParams.fromTuples(
                            'connection.host', plain.host, 'connection.port', plain.port, ...tuples));
                        assertException(err, 'ConfigException', 'TLS_NOT_ENABLED');
                        for (let i = 0; i < tuples.length; i += 2) assert.include(err.details.get('keys'), tuples[i]);
                    }
                    const after = await tap.mark();
                    assert.deepEqual(tap.between(before, after), [], 'no command reached the server');
                } finally {
                    tap.stop();
                }
            } finally {
                await plain.stop();
            }
        });

        test('options.ssl_reject_unauthorized that is not a boolean, or an empty ssl_servername: INVALID_OPTION', () => {
            for (const [option, value] of [['ssl_reject_unauthorized', 'maybe'], ['ssl_servername', ' ']]) {
                const connection = new RedisConnection();
                let err: any = null;
                try { connection.configure(ConfigParams.fromTuples('options.' + option, value)); } catch (e) { err = e; }
                assertException(err, 'ConfigException', 'INVALID_OPTION');
                assert.equal(err.details.get('option'), option);
            }
        });
    });
});

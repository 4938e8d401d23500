import { assert } from 'chai';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';
import { LogLevel } from 'pip-services4-observability-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { RedisLock } from '../../src/lock/RedisLock';
import { assertException, failureOf } from '../support/Errors';
import { Observers } from '../support/Observers';
import { RedisServer } from '../support/RedisServer';
import { TestCertificates } from '../support/TestCertificates';

// Each test gets servers of its own: they are stopped, restarted and reconfigured.
suite('Connection observability', function () {
    this.timeout(30000);
    const closing: { close(context: any): Promise<void> }[] = [];
    const servers: RedisServer[] = [];

    function configOf(server: RedisServer, ...tuples: any[]): ConfigParams {
        return ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port,
            'options.command_timeout', 500, 'options.reconnect_max_delay', 100, ...tuples);
    }

    async function serverOf(options: Parameters<typeof RedisServer.start>[0] = {}): Promise<RedisServer> {
        const server = await RedisServer.start(options);
        servers.push(server);
        return server;
    }

    async function lockOn(server: RedisServer, observers: Observers, ...tuples: any[]): Promise<RedisLock> {
        const lock = new RedisLock();
        lock.configure(configOf(server, ...tuples));
        lock.setReferences(observers.references());
        await lock.open('open-1');
        closing.push(lock);
        return lock;
    }

    /** Resolves after the lock's connection has tried to reconnect `count` more times (node-redis' own event). */
    function reconnectAttempts(lock: RedisLock, count: number): Promise<void> {
        const client = (lock as any)._connection._client.commands;
        return new Promise(resolve => {
            let seen = 0;
            const onAttempt = () => {
                if (++seen < count) return;
                client.off('reconnecting', onAttempt);
                resolve();
            };
            client.on('reconnecting', onAttempt);
        });
    }

    teardown(async () => {
        await Promise.all(closing.splice(0).map(c => c.close(null)));
        await Promise.all(servers.splice(0).map(s => s.stop()));
    });

    test('connected (info); an outage is logged once however many attempts fail (warn), then its recovery with its duration (info)', async () => {
        const server = await serverOf();
        const observers = new Observers();
        const lock = await lockOn(server, observers);
        const { logger, counters } = observers;
        const endpoint = '127.0.0.1:' + server.port;
        const connected = logger.at(LogLevel.Info);
        assert.lengthOf(connected, 1);
        assert.strictEqual(connected[0].message, 'redis_lock connected to Redis at ' + endpoint);
        assert.strictEqual(connected[0].context.get('trace_id'), 'open-1');

        const lost = logger.waitFor(LogLevel.Warn, /lost its connection/);
        await server.stop();
        const warning = await lost;
        assert.match(warning.message, new RegExp('^redis_lock lost its connection to Redis at ' + endpoint
            + ' \\(.+\\); reconnecting$'));
        await reconnectAttempts(lock, 3);
        const recovered = logger.waitFor(LogLevel.Info, /reconnected/);
        await server.restart();
        const recovery = await recovered;
        assert.match(recovery.message, new RegExp('^redis_lock reconnected to Redis at ' + endpoint + ' after \\d+ ms$'));
        assert.lengthOf(logger.at(LogLevel.Warn), 1, 'one warning per outage, not per attempt');
        assert.lengthOf(logger.at(LogLevel.Error), 0);
        assert.strictEqual(counters.total('redis_lock.connection.lost'), 1);
        assert.strictEqual(counters.timings('redis_lock.connection.outage_time'), 1);
        const outage = counters.find('redis_lock.connection.outage_time')!;
        assert.isAbove(outage.last, 0);

        // The next outage is logged again.
        const again = logger.waitForCount(LogLevel.Warn, /lost its connection/, 2);
        await server.stop();
        await again;
        assert.lengthOf(logger.at(LogLevel.Warn), 2);
        assert.strictEqual(counters.total('redis_lock.connection.lost'), 2);
    });

    test('locks an outage orphaned are released after recovery and logged (info)', async () => {
        const server = await serverOf();
        const observers = new Observers();
        const lock = await lockOn(server, observers, 'options.command_timeout', 300, 'options.reconnect_max_delay', 50);
        // Load the scripts, so the attempt buffered in the frozen server runs (not a NOSCRIPT).
        assert.isTrue(await lock.tryAcquireLock(null, 'warm-up', 1000));
        await lock.releaseLock(null, 'warm-up');
        server.pause();
        const err = await failureOf(() => lock.tryAcquireLock(null, 'lost-reply', 60000));
        assertException(err, 'ConnectionException', 'COMMAND_TIMEOUT');
        const released = observers.logger.waitFor(LogLevel.Info, /released \d+ lock/);
        server.resume();
        const entry = await released;
        assert.strictEqual(entry.message, 'redis_lock released 1 lock(s) whose acquire or release reply an outage had lost');
        assert.strictEqual(observers.counters.total('redis_lock.orphans.released'), 1);
        assert.strictEqual(observers.counters.total('redis_lock.acquire.failed'), 1);
    });

    test('refused credentials at open are logged as an error with AUTH_FAILED', async () => {
        const server = await serverOf({ password: 'right-one' });
        const observers = new Observers();
        const lock = new RedisLock();
        lock.configure(configOf(server, 'credential.password', 'wrong-one'));
        lock.setReferences(observers.references());
        const err = await failureOf(() => lock.open('open-2'));
        assertException(err, 'ConnectionException', 'AUTH_FAILED');
        const errors = observers.logger.at(LogLevel.Error);
        assert.lengthOf(errors, 1);
        assert.strictEqual(errors[0].message, 'redis_lock could not authenticate to Redis at 127.0.0.1:' + server.port);
        assert.strictEqual(errors[0].error, err, 'the logged error is the one open() threw');
        assert.strictEqual(errors[0].context.get('trace_id'), 'open-2');
    });

    test('credentials refused while reconnecting are logged once per outage (error), then the recovery', async () => {
        const server = await serverOf({ password: 'first-one' });
        const observers = new Observers();
        const lock = await lockOn(server, observers, 'credential.password', 'first-one');
        const admin = createClient({ socket: { host: server.host, port: server.port }, password: 'first-one' });
        admin.on('error', () => undefined);
        await admin.connect();
        try {
            const refused = observers.logger.waitFor(LogLevel.Error, /could not authenticate to Redis at .* while reconnecting/);
            await admin.sendCommand(['CONFIG', 'SET', 'requirepass', 'second-one']);
            await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
            const entry = await refused;
            assertException(entry.error, 'ConnectionException', 'AUTH_FAILED');
            await reconnectAttempts(lock, 3);
            const recovered = observers.logger.waitFor(LogLevel.Info, /reconnected/);
            await admin.sendCommand(['CONFIG', 'SET', 'requirepass', 'first-one']);
            await recovered;
            assert.lengthOf(observers.logger.at(LogLevel.Error), 1, 'one error per outage, not per attempt');
            assert.lengthOf(observers.logger.at(LogLevel.Warn), 1);
        } finally {
            await admin.close();
        }
    });

    test('a failed TLS handshake at open is logged as an error with TLS_FAILED', async () => {
        const certs = TestCertificates.get();
        const server = await serverOf({ tls: { certFile: certs.server.cert, keyFile: certs.server.key, caFile: certs.ca.cert } });
        const observers = new Observers();
        const lock = new RedisLock();
        // No ssl_ca_file: Node's default CAs do not know the test CA.
        lock.configure(ConfigParams.fromTuples('connection.uri', 'rediss://' + server.host + ':' + server.port));
        lock.setReferences(observers.references());
        const err = await failureOf(() => lock.open(null));
        assertException(err, 'ConnectionException', 'TLS_FAILED');
        const errors = observers.logger.at(LogLevel.Error);
        assert.lengthOf(errors, 1);
        assert.strictEqual(errors[0].message, 'redis_lock could not complete the TLS handshake with Redis at 127.0.0.1:' + server.port);
        assert.strictEqual(errors[0].error, err);
    });

    test('a cache logs its own connection and its fill lock\'s, each under its name', async () => {
        const server = await serverOf();
        const observers = new Observers();
        const cache = new RedisCache();
        cache.configure(configOf(server));
        cache.setReferences(observers.references());
        await cache.open(null);
        closing.push(cache);
        assert.sameMembers(observers.logger.at(LogLevel.Info).map(e => e.message), [
            'redis_cache connected to Redis at 127.0.0.1:' + server.port,
            'redis_cache.fill_lock connected to Redis at 127.0.0.1:' + server.port
        ]);
    });
});

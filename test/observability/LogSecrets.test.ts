import { assert } from 'chai';
import { inspect } from 'util';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';
import { LogLevel } from 'pip-services4-observability-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { LockLease } from '../../src/lock/LockLease';
import { RedisLock } from '../../src/lock/RedisLock';
import { failureOf } from '../support/Errors';
import { Observers } from '../support/Observers';
import { RedisServer } from '../support/RedisServer';

// Secrets full of the characters that break URIs; every run of 4+ letters and digits in them is
// distinctive, so a secret cut at '/', '#' or '%' is caught too, not only a whole one.
const PASSWORD = 'Vb3n:Qy8t@Kw2e/Pz6r%Mf4j;Xc9g=Hs5u#Ld7k?Ra1m';
const USER_PASSWORD = 'Tj6w/Nc2x@%57Gr9b:Su4o#?;=Ek3y';
const USERNAME = 'Iw5r:Mz8a@Cq3d/Hx6f%Bt9n;Vp2k=Ol4g#Fy7s?Je1u';
const NEW_PASSWORD = 'Ah8c;Wm3z=Ku6q?#Dn1t:Gs4v@Px9r/Lb5e%';
const SECRETS = [PASSWORD, USER_PASSWORD, USERNAME, NEW_PASSWORD];
const enc = encodeURIComponent;

function fragments(secret: string): string[] {
    return secret.split(/[^A-Za-z0-9]+/).filter(part => part.length >= 4);
}

suite('Observability never shows a secret or a token', function () {
    this.timeout(60000);

    test('log lines, counter names and traces of a session with outages, losses and refusals', async () => {
        const server = await RedisServer.start({ password: PASSWORD, user: { name: USERNAME, password: USER_PASSWORD } });
        const address = server.host + ':' + server.port;
        const options = ['options.command_timeout', 500, 'options.reconnect_max_delay', 100, 'options.retry_timeout', 20];
        const observers = new Observers();
        const leases: LockLease[] = [];
        const components: { close(context: any): Promise<void> }[] = [];
        // Four connections log: each lock's, the cache's and its fill lock's.
        const connections = 4;
        let admin: any = null;
        const adminOf = async () => {
            const client = createClient({ socket: { host: server.host, port: server.port }, password: PASSWORD });
            client.on('error', () => undefined);
            await client.connect();
            return client;
        };
        try {
            const viaUri = new RedisLock();
            viaUri.configure(ConfigParams.fromTuples('connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(USER_PASSWORD) + '@' + address,
                ...options));
            const viaCredential = new RedisLock();
            viaCredential.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port,
                'credential.password', PASSWORD, ...options));
            const cache = new RedisCache();
            cache.configure(ConfigParams.fromTuples('host', server.host, 'port', server.port, 'password', PASSWORD, ...options));
            for (const component of [viaUri, viaCredential, cache]) {
                component.setReferences(observers.references());
                await component.open('sweep');
                components.push(component);
            }
            admin = await adminOf();

            // Locks taken, waited for, timed out, lost and released; a cache filled and hit.
            leases.push(await viaUri.acquire('sweep', 'sweep:a', { ttl: 5000, watchdog: true }));
            const waiting = viaCredential.acquire('sweep', 'sweep:a', { ttl: 5000, timeout: 5000 });
            await leases[0].release();
            leases.push(await waiting);
            await failureOf(() => viaUri.acquireLock('sweep', 'sweep:a', 1000, 30));
            await leases[1].release();
            const short = await viaUri.acquire('sweep', 'sweep:lost', { ttl: 60 });
            leases.push(short);
            await new Promise(resolve => short.signal.addEventListener('abort', resolve, { once: true }));
            const taken = await viaCredential.acquire('sweep', 'sweep:taken', { ttl: 5000 });
            leases.push(taken);
            await admin.set('sweep:taken', 'other');
            await failureOf(() => taken.extend(5000));
            assert.deepEqual(await cache.getOrSet('sweep', 'sweep:cached', 5000, () => ({ v: 1 })), { v: 1 });
            assert.deepEqual(await cache.getOrSet('sweep', 'sweep:cached', 5000, () => ({ v: 2 })), { v: 1 });
            await failureOf(() => cache.getOrSet('sweep', 'sweep:failing', 5000, () => { throw new Error('producer failed'); }));

            // An outage and its recovery, on every connection.
            await admin.close();
            admin = null;
            let from = observers.logger.entries.length;
            await server.restart();
            await observers.logger.waitForCount(LogLevel.Info, /reconnected/, connections, from);

            // Credentials refused while reconnecting (the default user's password changed), then accepted again.
            admin = await adminOf();
            from = observers.logger.entries.length;
            const refused = observers.logger.waitFor(LogLevel.Error, /while reconnecting/);
            await admin.sendCommand(['CONFIG', 'SET', 'requirepass', NEW_PASSWORD]);
            await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
            await refused;
            await admin.sendCommand(['CONFIG', 'SET', 'requirepass', PASSWORD]);
            await observers.logger.waitForCount(LogLevel.Info, /reconnected/, connections, from);

            // Credentials refused at open: a wrong password in a URI and in a credential.
            for (const config of [
                ConfigParams.fromTuples('connection.uri', 'redis://' + enc(USERNAME) + ':' + enc(NEW_PASSWORD) + '@' + address),
                ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port, 'credential.password', NEW_PASSWORD)
            ]) {
                const refusedLock = new RedisLock();
                refusedLock.configure(config);
                refusedLock.setReferences(observers.references());
                await failureOf(() => refusedLock.open(null));
            }
        } finally {
            await Promise.all(components.map(c => c.close(null)));
            if (admin != null) await admin.close();
            await server.stop();
        }

        const { logger, counters, tracer } = observers;
        // The session produced every kind of event this sweep is about.
        for (const [level, pattern] of [[LogLevel.Info, /connected to Redis/], [LogLevel.Warn, /lost its connection/],
            [LogLevel.Info, /reconnected/], [LogLevel.Warn, /lost its lease on lock sweep:lost: expired/],
            [LogLevel.Warn, /lost its lease on lock sweep:taken: not_held/], [LogLevel.Error, /could not authenticate to Redis at .* while reconnecting$/],
            [LogLevel.Error, /could not authenticate to Redis at [0-9.:]+$/]] as [LogLevel, RegExp][]) {
            assert.isTrue(logger.entries.some(e => e.level == level && pattern.test(e.message)), 'no ' + pattern + ' in\n'
                + logger.lines().join('\n'));
        }
        assert.isAbove(tracer.traces.filter(t => t.error != null).length, 0, 'failures were traced');

        const text = [
            ...logger.lines(),
            ...counters.names(),
            inspect(tracer.traces, { depth: Infinity, showHidden: true }),
            ...tracer.traces.map(t => t.error != null ? String(t.error.stack) + JSON.stringify(t.error) : '')
        ].join('\n');
        for (const secret of SECRETS) {
            for (const part of fragments(secret)) assert.notInclude(text, part, 'a piece of a secret');
            assert.notInclude(text, enc(secret), 'an encoded secret');
        }
        for (const lease of leases) assert.notInclude(text, lease.token, 'a lock token');
        assert.notMatch(text, /[0-9a-f]{12}\.[0-9a-f]{24}/, 'something shaped like a lock token');
        assert.notMatch(text, /[0-9a-f]{24}/, 'the random part of a lock token');
        assert.include(text, 'sweep:lost', 'lock keys are shown');
    });
});


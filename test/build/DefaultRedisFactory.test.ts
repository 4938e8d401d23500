import { assert } from 'chai';
import { ConfigParams, Descriptor, References } from 'pip-services4-components-node';
import { MemoryCredentialStore, MemoryDiscovery } from 'pip-services4-config-node';

import { DefaultRedisFactory } from '../../src/build/DefaultRedisFactory';
import { RedisCache } from '../../src/cache/RedisCache';
import { RedisLock } from '../../src/lock/RedisLock';
import { RedisServer } from '../support/RedisServer';

suite('DefaultRedisFactory', () => {
    let server: RedisServer;

    suiteSetup(async () => {
        server = await RedisServer.start({ user: { name: 'svc', password: 'factory-secret' } });
    });
    suiteTeardown(async () => { await server.stop(); });

    test('answers for the lock descriptor and no other version', () => {
        const factory = new DefaultRedisFactory();
        const locator = factory.canCreate(new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0'));
        assert.equal(String(locator), 'pip-services:lock:redis:*:1.0');
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'lock', 'redis', 'default', '2.0')));
    });

    test('answers for the cache descriptor and creates a RedisCache', () => {
        const factory = new DefaultRedisFactory();
        const descriptor = new Descriptor('pip-services', 'cache', 'redis', 'default', '1.0');
        assert.equal(String(factory.canCreate(descriptor)), 'pip-services:cache:redis:*:1.0');
        assert.instanceOf(factory.create(descriptor), RedisCache);
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'cache', 'redis', 'default', '2.0')));
    });

    test('builds a cache the way a container does, credentials from a store', async () => {
        const factory = new DefaultRedisFactory();
        const cache = factory.create(new Descriptor('pip-services', 'cache', 'redis', 'default', '1.0'));
        cache.configure(ConfigParams.fromTuples(
            'descriptor', 'pip-services:cache:redis:default:1.0',
            'connection.host', server.host, 'connection.port', server.port,
            'credential.store_key', 'redis-main', 'options.timeout', 1000));
        const credentials = new MemoryCredentialStore();
        credentials.readCredentials(ConfigParams.fromTuples('redis-main.username', 'svc', 'redis-main.password', 'factory-secret'));
        cache.setReferences(References.fromTuples(
            new Descriptor('pip-services', 'credential-store', 'memory', 'default', '1.0'), credentials));
        await cache.open(null);
        try {
            assert.equal(await cache.getOrSet(null, 'container-cache-key', 0, () => 'filled'), 'filled');
            assert.equal(await cache.retrieve(null, 'container-cache-key'), 'filled');
        } finally {
            await cache.close(null);
        }
        assert.isFalse(cache.isOpen());
    });

    test('builds a lock the way a container does: create, configure, setReferences, open, use, close', async () => {
        const factory = new DefaultRedisFactory();
        const lock = factory.create(new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0'));
        assert.instanceOf(lock, RedisLock);

        // The container passes the whole component item, descriptor included.
        lock.configure(ConfigParams.fromTuples(
            'descriptor', 'pip-services:lock:redis:default:1.0',
            'connection.discovery_key', 'redis-main',
            'credential.store_key', 'redis-main',
            'options.retry_timeout', 50));

        const discovery = new MemoryDiscovery();
        discovery.readConnections(ConfigParams.fromTuples('redis-main.host', server.host, 'redis-main.port', server.port));
        const credentials = new MemoryCredentialStore();
        credentials.readCredentials(ConfigParams.fromTuples('redis-main.username', 'svc', 'redis-main.password', 'factory-secret'));
        lock.setReferences(References.fromTuples(
            new Descriptor('pip-services', 'discovery', 'memory', 'default', '1.0'), discovery,
            new Descriptor('pip-services', 'credential-store', 'memory', 'default', '1.0'), credentials));

        await lock.open(null);
        try {
            assert.isTrue(lock.isOpen());
            await lock.acquireLock(null, 'container-key', 1000, 1000);
            assert.isFalse(await lock.tryAcquireLock(null, 'container-key', 1000));
            await lock.releaseLock(null, 'container-key');
        } finally {
            await lock.close(null);
        }
        assert.isFalse(lock.isOpen());
    });
});

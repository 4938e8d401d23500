import { assert } from 'chai';
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../../src/cache/RedisCache';
import { KeySpace } from '../../src/connect/KeySpace';
import { LockKeys } from '../../src/lock/LockKeys';
import { CacheFixture } from '../fixtures/CacheFixture';
import { TestRedis } from '../support/TestRedis';
import { assertException, failureOf } from '../support/Errors';
import { CommandTap } from '../support/CommandTap';

async function openCache(...tuples: any[]): Promise<RedisCache> {
    const cache = new RedisCache();
    cache.configure(await TestRedis.config(...tuples));
    await cache.open(null);
    return cache;
}

suite('RedisCache', () => {
    let cache: RedisCache;
    let other: RedisCache;
    let client: any;
    let fixture: CacheFixture;

    setup(async () => {
        cache = await openCache();
        other = await openCache();
        client = createClient({ socket: await TestRedis.endpoint() });
        client.on('error', () => undefined);
        await client.connect();
        fixture = new CacheFixture(cache, TestRedis.uniqueKey('fixture') + ':');
    });

    teardown(async () => {
        client.destroy();
        await cache.close(null);
        await other.close(null);
    });

    test('Store and Retrieve', async () => {
        await fixture.testStoreAndRetrieve();
    });

    test('Retrieve Expired', async () => {
        await fixture.testRetrieveExpired();
    });

    test('Remove', async () => {
        await fixture.testRemove();
    });

    test('store resolves to the value, remove to nothing; values are stored as JSON', async () => {
        const key = TestRedis.uniqueKey('resolves');
        const value = { name: 'ABC', list: [1, 'two'], nested: { when: new Date(0) } };
        assert.strictEqual(await cache.store(null, key, value, 5000), value);
        assert.equal(await client.get(key), '{"name":"ABC","list":[1,"two"],"nested":{"when":"1970-01-01T00:00:00.000Z"}}');
        assert.isUndefined(await cache.remove(null, key));
        assert.equal(await client.exists(key), 0);
        assert.isUndefined(await cache.remove(null, key), 'removing an absent key is fine');
    });

    test('a missing or non-positive timeout uses options.timeout (default 60000)', async () => {
        const configured = await openCache('options.timeout', 30000);
        try {
            for (const timeout of [undefined, null, 0, -1]) {
                const key = TestRedis.uniqueKey('default-ttl');
                await configured.store(null, key, 'v', timeout as any);
                const pttl = await client.pTTL(key);
                assert.isAbove(pttl, 29000, 'timeout ' + timeout);
                assert.isAtMost(pttl, 30000, 'timeout ' + timeout);
            }
            const key = TestRedis.uniqueKey('default-ttl');
            await cache.store(null, key, 'v', undefined as any);
            assert.isAbove(await client.pTTL(key), 59000, 'unconfigured default');
            await cache.store(null, key, 'v', 1234);
            assert.isAtMost(await client.pTTL(key), 1234, 'an explicit timeout wins');
        } finally {
            await configured.close(null);
        }
    });

    test('a null or undefined value deletes the key and resolves to that value', async () => {
        for (const empty of [null, undefined]) {
            const key = TestRedis.uniqueKey('null');
            await cache.store(null, key, 'old', 5000);
            assert.strictEqual(await cache.store(null, key, empty, 5000), empty);
            assert.equal(await client.exists(key), 0, 'deleted for ' + empty);
            assert.isNull(await cache.retrieve(null, key));
        }
    });

    test('falsy values other than null are cached', async () => {
        const key = TestRedis.uniqueKey('falsy');
        for (const value of [0, false, '']) {
            await cache.store(null, key, value, 5000);
            assert.strictEqual(await other.retrieve(null, key), value);
        }
    });

    test('two components see each other\'s values', async () => {
        const key = TestRedis.uniqueKey('shared');
        await cache.store(null, key, { from: 'cache' }, 5000);
        assert.deepEqual(await other.retrieve(null, key), { from: 'cache' });
        await other.store(null, key, { from: 'other' }, 5000);
        assert.deepEqual(await cache.retrieve(null, key), { from: 'other' });
        await other.remove(null, key);
        assert.isNull(await cache.retrieve(null, key));
    });

    test('options.key_prefix keeps services sharing one Redis apart, fill locks included', async () => {
        const key = TestRedis.uniqueKey('prefixed');
        const serviceA = await openCache('options.key_prefix', 'svcA:');
        const serviceB = await openCache('options.key_prefix', 'svcB:');
        try {
            await serviceA.store(null, key, 'a', 5000);
            await serviceB.store(null, key, 'b', 5000);
            assert.equal(await serviceA.retrieve(null, key), 'a');
            assert.equal(await serviceB.retrieve(null, key), 'b');
            assert.isNull(await cache.retrieve(null, key), 'without a prefix the bare key is untouched');
            assert.equal(await client.get('svcA:' + key), '"a"');
            await serviceA.remove(null, key);
            assert.equal(await serviceB.retrieve(null, key), 'b', 'remove stays within the prefix');

            const filled = TestRedis.uniqueKey('prefixed-fill');
            const lockKey = new LockKeys(filled, new KeySpace('svcA:'), 'fill').lock;
            let lockHeld = -1;
            await serviceA.getOrSet(null, filled, 5000, async () => {
                lockHeld = await client.exists(lockKey);
                return 'made';
            });
            assert.equal(lockHeld, 1, 'the fill lock key carries the prefix');
            assert.equal(await client.exists(lockKey), 0, 'and is released');
            assert.equal(await client.get('svcA:' + filled), '"made"');
            assert.equal(await client.exists(filled), 0);
        } finally {
            await serviceA.close(null);
            await serviceB.close(null);
        }
    });

    test('bad keys, timeouts and values get BadRequestException and send nothing', async () => {
        const key = TestRedis.uniqueKey('bad');
        await cache.store(null, key, 'old', 5000);
        const cyclic: any = { name: 'loop' };
        cyclic.self = cyclic;
        const cases: [() => Promise<unknown>, string, string, string][] = [
            [() => cache.retrieve(null, ''), 'INVALID_KEY', 'key', '""'],
            [() => cache.store(null, null as any, 'v', 1000), 'INVALID_KEY', 'key', 'null'],
            [() => cache.remove(null, 42 as any), 'INVALID_KEY', 'key', '42'],
            [() => cache.store(null, key, 'v', 1.5), 'INVALID_TTL', 'timeout', '1.5'],
            [() => cache.store(null, key, 'v', NaN), 'INVALID_TTL', 'timeout', 'NaN'],
            [() => cache.store(null, key, 'v', '1000' as any), 'INVALID_TTL', 'timeout', '"1000"'],
            [() => cache.store(null, key, 10n, 1000), 'INVALID_VALUE', 'value', '10n'],
            [() => cache.store(null, key, { big: [1n] }, 1000), 'INVALID_VALUE', 'value', '1n'],
            [() => cache.store(null, key, cyclic, 1000), 'INVALID_VALUE', 'value', '[object Object]'],
            [() => cache.store(null, key, function loader() { return 1; }, 1000), 'INVALID_VALUE', 'value', 'function loader'],
            [() => cache.store(null, key, { run: () => 1 }, 1000), 'INVALID_VALUE', 'value', 'function run'],
            [() => cache.store(null, key, Symbol('s'), 1000), 'INVALID_VALUE', 'value', 'Symbol(s)'],
            [() => cache.store(null, key, NaN, 1000), 'INVALID_VALUE', 'value', 'NaN'],
            [() => cache.store(null, key, { n: -Infinity }, 1000), 'INVALID_VALUE', 'value', '-Infinity'],
            [() => cache.getOrSet(null, '', 1000, () => 1), 'INVALID_KEY', 'key', '""'],
            [() => cache.getOrSet(null, key, 1000, 'v' as any), 'INVALID_PRODUCER', 'produce', 'string'],
            [() => cache.getOrSet(null, key, 1000, () => 1, 0), 'INVALID_TTL', 'fill_timeout', '0']
        ];
        const tap = await CommandTap.start(await TestRedis.endpoint());
        try {
            const from = await tap.mark();
            for (const [action, code, detail, value] of cases) {
                const err = await failureOf(action);
                assertException(err, 'BadRequestException', code);
                assert.equal(err.details.get(detail), value, code + ' details');
            }
            const to = await tap.mark();
            assert.deepEqual(tap.between(from, to), [], 'nothing reached Redis');
        } finally {
            tap.stop();
        }
        assert.equal(await cache.retrieve(null, key), 'old', 'the key kept its value');
    });

    test('a key another writer filled with non-JSON text is InvalidStateException CORRUPT_VALUE', async () => {
        const key = TestRedis.uniqueKey('corrupt');
        await client.set(key, 'plain text');
        const err = await failureOf(() => cache.retrieve('trace-7', key));
        assertException(err, 'InvalidStateException', 'CORRUPT_VALUE');
        assert.equal(err.details.get('key'), key);
        assert.equal(err.trace_id, 'trace-7');
        assertException(await failureOf(() => cache.getOrSet(null, key, 1000, () => 'mine')), 'InvalidStateException', 'CORRUPT_VALUE');
        assert.equal(await client.get(key), 'plain text', 'getOrSet does not overwrite it');
    });

    test('calls before open get InvalidStateException NOT_OPENED', async () => {
        const closed = new RedisCache();
        closed.configure(await TestRedis.config());
        assertException(await failureOf(() => closed.retrieve(null, 'k')), 'InvalidStateException', 'NOT_OPENED');
        assertException(await failureOf(() => closed.store(null, 'k', 'v', 1000)), 'InvalidStateException', 'NOT_OPENED');
        assertException(await failureOf(() => closed.remove(null, 'k')), 'InvalidStateException', 'NOT_OPENED');
        assertException(await failureOf(() => closed.getOrSet(null, 'k', 1000, () => 'v')), 'InvalidStateException', 'NOT_OPENED');
        assert.isFalse(closed.isOpen());
    });

    test('open twice opens once; close and close again', async () => {
        const component = new RedisCache();
        component.configure(await TestRedis.config());
        await Promise.all([component.open(null), component.open(null)]);
        assert.isTrue(component.isOpen());
        await component.close(null);
        await component.close(null);
        assert.isFalse(component.isOpen());
    });

    test('without any connection, open fails with ConfigException NO_CONNECTION and nothing stays open', async () => {
        const component = new RedisCache();
        component.configure(ConfigParams.fromTuples('options.timeout', 1000));
        assertException(await failureOf(() => component.open(null)), 'ConfigException', 'NO_CONNECTION');
        assert.isFalse(component.isOpen());
    });

    test('bad options are ConfigException INVALID_OPTION naming the value', () => {
        for (const [option, value] of [['timeout', 'soon'], ['timeout', '0'], ['fill_timeout', '-1']]) {
            const component = new RedisCache();
            let err: any = null;
            try { component.configure(ConfigParams.fromTuples('options.' + option, value)); } catch (e) { err = e; }
            assertException(err, 'ConfigException', 'INVALID_OPTION');
            assert.equal(err.details.get('option'), option);
            assert.equal(err.details.get('value'), value);
        }
    });

    test('options.max_size is accepted and ignored', async () => {
        const bounded = await openCache('options.max_size', 1);
        try {
            const keys = [TestRedis.uniqueKey('max'), TestRedis.uniqueKey('max')];
            for (const key of keys) await bounded.store(null, key, key, 5000);
            for (const key of keys) assert.equal(await bounded.retrieve(null, key), key);
        } finally {
            await bounded.close(null);
        }
    });
});

import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { ICache, MemoryCache, NullCache } from '../../src';

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

async function rejection(promise: Promise<any>): Promise<any> {
    try {
        await promise;
    } catch (ex) {
        return ex;
    }
    assert.fail('expected a rejection');
}

/** Expiration of a stored entry (peeks at the stand-in's own private map). */
function expirationOf(cache: MemoryCache, key: string): number {
    return (cache as any)._cache.get(key).getExpiration();
}

suite('MemoryCache', () => {
    test('is usable through ICache; store resolves to the value', async () => {
        const cache: ICache = new MemoryCache();
        assert.strictEqual(await cache.store(null, 'key1', 'value1', 5000), 'value1');
        assert.strictEqual(await cache.retrieve(null, 'key1'), 'value1');
        assert.isNull(await cache.retrieve(null, 'missing'));
    });

    test('values are returned by reference (no JSON round trip)', async () => {
        const cache = new MemoryCache();
        const obj = { val: 'value2' };
        const date = new Date();
        await cache.store(null, 'key2', obj, 5000);
        await cache.store(null, 'key3', date, 5000);
        assert.strictEqual(await cache.retrieve(null, 'key2'), obj);
        const retrieved = await cache.retrieve(null, 'key3');
        assert.instanceOf(retrieved, Date);
        assert.strictEqual(retrieved, date);
    });

    test('null/undefined value deletes the key and resolves to that value', async () => {
        const cache = new MemoryCache();
        await cache.store(null, 'k', 'v', 5000);
        assert.isNull(await cache.store(null, 'k', null, 5000));
        assert.isNull(await cache.retrieve(null, 'k'));
        await cache.store(null, 'k', 'v', 5000);
        assert.isUndefined(await cache.store(null, 'k', undefined, 5000));
        assert.isNull(await cache.retrieve(null, 'k'));
    });

    test('expired entries are removed on retrieve', async () => {
        const cache = new MemoryCache();
        await cache.store(null, 'key1', 'value1', 50);
        await delay(80);
        assert.isNull(await cache.retrieve(null, 'key1'));
        assert.isFalse((cache as any)._cache.has('key1'));
    });

    test('default timeout is 60000 ms; null or <= 0 timeout uses the default', async () => {
        const cache = new MemoryCache();
        for (const timeout of [null, undefined, 0, -5]) {
            const before = Date.now();
            await cache.store(null, 'k', 'v', timeout as any);
            const expiration = expirationOf(cache, 'k');
            assert.isAtLeast(expiration, before + 60000);
            assert.isAtMost(expiration, Date.now() + 60000);
        }
    });

    test('configure reads options.timeout as the default timeout', async () => {
        const cache = new MemoryCache();
        cache.configure(ConfigParams.fromTuples('options.timeout', 40));
        await cache.store(null, 'k', 'v', 0);
        assert.strictEqual(await cache.retrieve(null, 'k'), 'v');
        await delay(70);
        assert.isNull(await cache.retrieve(null, 'k'));
    });

    test('expired entries are kept when the default timeout is <= 0', async () => {
        const cache = new MemoryCache();
        cache.configure(ConfigParams.fromTuples('options.timeout', 0));
        await cache.store(null, 'k', 'v', 30);
        await delay(60);
        assert.strictEqual(await cache.retrieve(null, 'k'), 'v');
    });

    test('default max_size is 1000: storing the 1001st entry evicts the earliest-expiring one', async () => {
        const cache = new MemoryCache();
        for (let index = 0; index < 1000; index++) {
            await cache.store(null, 'key' + index, index, 10000 + index);
        }
        assert.strictEqual((cache as any)._cache.size, 1000);
        await cache.store(null, 'key1000', 1000, 20000);
        assert.strictEqual((cache as any)._cache.size, 1000);
        assert.isNull(await cache.retrieve(null, 'key0'));
        assert.strictEqual(await cache.retrieve(null, 'key1'), 1);
        assert.strictEqual(await cache.retrieve(null, 'key1000'), 1000);
    });

    test('configure reads options.max_size; overflow evicts the earliest-expiring entry', async () => {
        const cache = new MemoryCache();
        cache.configure(ConfigParams.fromTuples('options.max_size', 2));
        await cache.store(null, 'a', 'A', 3000);
        await cache.store(null, 'b', 'B', 1000);
        await cache.store(null, 'c', 'C', 2000);
        assert.isNull(await cache.retrieve(null, 'b'));
        assert.strictEqual(await cache.retrieve(null, 'a'), 'A');
        assert.strictEqual(await cache.retrieve(null, 'c'), 'C');

        // The entry just stored is evicted when it expires first.
        await cache.store(null, 'd', 'D', 500);
        assert.isNull(await cache.retrieve(null, 'd'));
        assert.strictEqual(await cache.retrieve(null, 'a'), 'A');
    });

    test('overflow purges expired entries first, and evicts only while still over max_size', async () => {
        const cache = new MemoryCache();
        cache.configure(ConfigParams.fromTuples('options.max_size', 2));
        await cache.store(null, 'x', 'X', 20);
        await cache.store(null, 'y', 'Y', 5000);
        await delay(50);
        await cache.store(null, 'z', 'Z', 6000);
        // x expired and was purged: y and z fit, nothing is evicted.
        assert.strictEqual(await cache.retrieve(null, 'y'), 'Y');
        assert.strictEqual(await cache.retrieve(null, 'z'), 'Z');
        assert.isNull(await cache.retrieve(null, 'x'));
    });

    test('max_size <= 0 disables eviction', async () => {
        const cache = new MemoryCache();
        cache.configure(ConfigParams.fromTuples('options.max_size', 0));
        for (let index = 0; index < 1100; index++) {
            await cache.store(null, 'key' + index, index, 5000);
        }
        assert.strictEqual(await cache.retrieve(null, 'key0'), 0);
        assert.strictEqual((cache as any)._cache.size, 1100);
    });

    test('overwriting a key resets its value and expiration', async () => {
        const cache = new MemoryCache();
        await cache.store(null, 'k', 'v1', 30);
        await cache.store(null, 'k', 'v2', 5000);
        await delay(50);
        assert.strictEqual(await cache.retrieve(null, 'k'), 'v2');
    });

    test('remove deletes and resolves to undefined', async () => {
        const cache = new MemoryCache();
        await cache.store(null, 'key1', 'value1', 1000);
        assert.isUndefined(await cache.remove(null, 'key1'));
        assert.isNull(await cache.retrieve(null, 'key1'));
        assert.isUndefined(await cache.remove(null, 'never-stored'));
    });

    test('null key → Error("Key cannot be null") in all methods', async () => {
        const cache = new MemoryCache();
        for (const promise of [cache.retrieve(null, null as any), cache.store(null, null as any, 'v', 1000),
            cache.remove(null, null as any)]) {
            const error = await rejection(promise);
            assert.strictEqual(error.message, 'Key cannot be null');
        }
    });
});

suite('NullCache', () => {
    test('retrieve → null, store → value, remove → null', async () => {
        const cache: ICache = new NullCache();
        assert.strictEqual(await cache.store(null, 'k', 'v', 1000), 'v');
        assert.isNull(await cache.retrieve(null, 'k'));
        assert.isNull(await cache.remove(null, 'k'));
    });
});

/*
 * Contract edge cases (§3.6) → test:
 * - defaults timeout 60000 / max_size 1000 → 'default timeout is 60000 ms…', 'default max_size is 1000…'
 * - configure reads options.timeout / options.max_size (longs) → 'configure reads options.timeout…', 'configure reads options.max_size…'
 * - null key Error in all methods → 'null key → Error…'
 * - null/undefined value deletes and resolves to it → 'null/undefined value deletes…'
 * - timeout null or ≤ 0 → default → 'default timeout is 60000 ms; null or <= 0…'
 * - store resolves to the value → 'is usable through ICache…'
 * - over max_size: purge expired, then evict earliest-expiring → 'configure reads options.max_size…', 'overflow purges expired…'
 * - expired removed only when default timeout > 0 → 'expired entries are removed…', 'expired entries are kept…'
 * - by reference, no JSON round trip → 'values are returned by reference…'
 * - remove → undefined → 'remove deletes and resolves to undefined'
 * - NullCache → 'NullCache' suite
 */

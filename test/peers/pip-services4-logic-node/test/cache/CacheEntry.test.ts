import { assert } from 'chai';

import { CacheEntry } from '../../src';

suite('CacheEntry', () => {
    test('keeps key, value and expiration = now + timeout', () => {
        const before = Date.now();
        const entry = new CacheEntry('key1', { a: 1 }, 1000);
        const after = Date.now();
        assert.strictEqual(entry.getKey(), 'key1');
        assert.deepEqual(entry.getValue(), { a: 1 });
        assert.isAtLeast(entry.getExpiration(), before + 1000);
        assert.isAtMost(entry.getExpiration(), after + 1000);
        assert.isFalse(entry.isExpired());
    });

    test('setValue replaces the value and resets the expiration', () => {
        const entry = new CacheEntry('key1', 'v1', -1000);
        assert.isTrue(entry.isExpired());
        entry.setValue('v2', 5000);
        assert.strictEqual(entry.getValue(), 'v2');
        assert.isFalse(entry.isExpired());
        assert.isAtLeast(entry.getExpiration(), Date.now() + 4000);
    });

    test('isExpired is strict: expiration equal to now is not expired', () => {
        const realNow = Date.now;
        try {
            Date.now = () => 5000;
            const entry = new CacheEntry('k', 'v', 0);
            assert.isFalse(entry.isExpired());
            Date.now = () => 5001;
            assert.isTrue(entry.isExpired());
        } finally {
            Date.now = realNow;
        }
    });
});

/*
 * Contract edge cases (§3.5) → test:
 * - expiration = now + timeout (epoch ms) → 'keeps key, value and expiration…'
 * - setValue resets expiration → 'setValue replaces…'
 * - strictly before now → 'isExpired is strict…'
 */

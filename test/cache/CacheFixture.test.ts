import { assert } from 'chai';
import { MemoryCache, NullCache } from 'pip-services4-logic-node';

import { CacheFixture } from '../fixtures/CacheFixture';
import { failureOf } from '../support/Errors';

// The fixture checked against the toolkit's own caches: it must pass where they keep the ICache
// contract and fail where they do not, or it could not catch a broken RedisCache either.
suite('CacheFixture', () => {
    test('MemoryCache passes the expiry and remove scenarios', async () => {
        const fixture = new CacheFixture(new MemoryCache());
        await fixture.testRetrieveExpired();
        await fixture.testRemove();
    });

    test('MemoryCache fails store-and-retrieve: it returns the Date itself, not its ISO string', async () => {
        const err = await failureOf(() => new CacheFixture(new MemoryCache()).testStoreAndRetrieve());
        assert.equal(err.name, 'AssertionError');
        assert.instanceOf(err.actual, Date);
    });

    test('NullCache, which stores nothing, fails every scenario', async () => {
        const fixture = new CacheFixture(new NullCache());
        for (const scenario of [() => fixture.testStoreAndRetrieve(), () => fixture.testRetrieveExpired(), () => fixture.testRemove()]) {
            assert.equal((await failureOf(scenario)).name, 'AssertionError');
        }
    });
});

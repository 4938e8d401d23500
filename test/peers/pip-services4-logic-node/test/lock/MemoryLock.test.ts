import { assert } from 'chai';

import { Lock, MemoryLock, NullLock } from '../../src';

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

suite('MemoryLock', () => {
    test('extends Lock', () => {
        assert.isTrue(new MemoryLock() instanceof Lock);
    });

    test('tryAcquireLock: free → true, held → false (not re-entrant), released → true', async () => {
        const lock = new MemoryLock();
        assert.isTrue(await lock.tryAcquireLock(null, 'lock_1', 3000));
        assert.isFalse(await lock.tryAcquireLock(null, 'lock_1', 3000));
        assert.isTrue(await lock.tryAcquireLock(null, 'lock_other', 3000));
        await lock.releaseLock(null, 'lock_1');
        assert.isTrue(await lock.tryAcquireLock(null, 'lock_1', 3000));
    });

    test('an expired lock can be taken again', async () => {
        const lock = new MemoryLock();
        assert.isTrue(await lock.tryAcquireLock(null, 'k', 50));
        assert.isFalse(await lock.tryAcquireLock(null, 'k', 50));
        await delay(80);
        assert.isTrue(await lock.tryAcquireLock(null, 'k', 50));
    });

    test('expiry must be strictly before now', async () => {
        const lock = new MemoryLock();
        const realNow = Date.now;
        try {
            Date.now = () => 1000;
            assert.isTrue(await lock.tryAcquireLock(null, 'k', 0));
            assert.isFalse(await lock.tryAcquireLock(null, 'k', 0));
            Date.now = () => 1001;
            assert.isTrue(await lock.tryAcquireLock(null, 'k', 0));
        } finally {
            Date.now = realNow;
        }
    });

    test('undefined ttl → held until released', async () => {
        const lock = new MemoryLock();
        assert.isTrue(await lock.tryAcquireLock(null, 'k', undefined as any));
        await delay(20);
        assert.isFalse(await lock.tryAcquireLock(null, 'k', 10));
        await lock.releaseLock(null, 'k');
        assert.isTrue(await lock.tryAcquireLock(null, 'k', 10));
    });

    test('releaseLock of a free key is fine', async () => {
        const lock = new MemoryLock();
        await lock.releaseLock(null, 'never-taken');
        assert.isTrue(await lock.tryAcquireLock(null, 'lock_3', 3000));
        await lock.releaseLock(null, 'lock_3');
        await lock.releaseLock(null, 'lock_3');
    });

    test('acquireLock waits for expiry, and times out with LOCK_TIMEOUT', async () => {
        const lock = new MemoryLock();
        await lock.acquireLock(null, 'lock_2', 150, 1000);
        await lock.acquireLock(null, 'lock_2', 3000, 1000); // waits until the 150 ms lock expires
        let error: any = null;
        try {
            await lock.acquireLock(null, 'lock_2', 3000, 200);
        } catch (ex) {
            error = ex;
        }
        assert.isNotNull(error);
        assert.strictEqual(error.code, 'LOCK_TIMEOUT');
        await lock.releaseLock(null, 'lock_2');
        await lock.acquireLock(null, 'lock_2', 3000, 100);
    });
});

suite('NullLock', () => {
    test('try → true; acquire and release are no-ops', async () => {
        const lock = new NullLock();
        assert.isTrue(await lock.tryAcquireLock(null, 'k', 1000));
        assert.isTrue(await lock.tryAcquireLock(null, 'k', 1000));
        assert.isUndefined(await lock.acquireLock(null, 'k', 1000, 0));
        assert.isUndefined(await lock.releaseLock(null, 'k'));
    });
});

/*
 * Contract edge cases (§3.3) → test:
 * - free/expired → true, stores now + ttl; held → false; not re-entrant → 'tryAcquireLock: free → true…'
 * - expiry strictly before now → 'expiry must be strictly before now'
 * - release deletes whoever holds it, free key fine → 'releaseLock of a free key is fine'
 * - undefined ttl → NaN expiry → held until released → 'undefined ttl → held until released'
 * - NullLock behaviour → 'NullLock' suite
 */

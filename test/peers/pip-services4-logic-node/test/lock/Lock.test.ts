import { assert } from 'chai';
import { ConfigParams, Context, IContext } from 'pip-services4-components-node';

import { ILock, Lock } from '../../src';

/** Records attempt times; succeeds from attempt number `succeedAt` (1-based; 0 = never). */
class CountingLock extends Lock {
    public readonly attempts: number[] = [];
    private readonly _start = Date.now();

    public constructor(private readonly _succeedAt = 0, private readonly _error: any = null) {
        super();
    }

    public async tryAcquireLock(context: IContext | null, _key: string, _ttl: number): Promise<boolean> {
        this.attempts.push(Date.now() - this._start);
        if (this._error != null) {
            throw this._error;
        }
        return this._succeedAt > 0 && this.attempts.length >= this._succeedAt;
    }

    public async releaseLock(context: IContext | null, _key: string): Promise<void> {
        // not needed
    }
}

async function rejection(promise: Promise<any>): Promise<any> {
    try {
        await promise;
    } catch (ex) {
        return ex;
    }
    assert.fail('expected a rejection');
}

suite('Lock', () => {
    test('is usable through ILock', () => {
        const lock: ILock = new CountingLock(1);
        assert.isFunction(lock.acquireLock);
    });

    test('acquireLock returns after one immediate successful attempt (no sleep)', async () => {
        const lock = new CountingLock(1);
        const start = Date.now();
        await lock.acquireLock(null, 'k', 1000, 1000);
        assert.lengthOf(lock.attempts, 1);
        assert.isBelow(Date.now() - start, 80);
    });

    test('acquireLock retries until tryAcquireLock succeeds', async () => {
        const lock = new CountingLock(3);
        await lock.acquireLock(null, 'k', 1000, 5000);
        assert.lengthOf(lock.attempts, 3);
        assert.isAtLeast(lock.attempts[2], 180);
    });

    test('default retry interval is 100 ms (timeout 150 → attempts at ~0 and ~100)', async () => {
        const lock = new CountingLock();
        lock.configure(new ConfigParams());
        const start = Date.now();
        await rejection(lock.acquireLock(null, 'k', 1000, 150));
        const elapsed = Date.now() - start;
        assert.lengthOf(lock.attempts, 2);
        assert.isAtLeast(elapsed, 190);
        assert.isBelow(elapsed, 600);
    });

    test('configure reads options.retry_timeout; timeout 1000/interval 300 → 4 attempts, throw ≈1200 ms', async () => {
        const lock = new CountingLock();
        lock.configure(ConfigParams.fromTuples('options.retry_timeout', 300));
        const start = Date.now();
        const error = await rejection(lock.acquireLock(null, 'k', 1000, 1000));
        const elapsed = Date.now() - start;
        assert.strictEqual(error.code, 'LOCK_TIMEOUT');
        assert.lengthOf(lock.attempts, 4);
        assert.isBelow(lock.attempts[0], 50);
        assert.isAtLeast(lock.attempts[3], 850);
        assert.isAtLeast(elapsed, 1150);
        assert.isBelow(elapsed, 2000);
    });

    test('timeout <= 0 → one attempt, one sleep, then throw', async () => {
        for (const timeout of [0, -100]) {
            const lock = new CountingLock();
            lock.configure(ConfigParams.fromTuples('options.retry_timeout', 50));
            const start = Date.now();
            const error = await rejection(lock.acquireLock(null, 'k', 1000, timeout));
            assert.strictEqual(error.code, 'LOCK_TIMEOUT');
            assert.lengthOf(lock.attempts, 1);
            assert.isAtLeast(Date.now() - start, 45);
        }
    });

    test('configure without retry_timeout keeps the current value', async () => {
        const lock = new CountingLock();
        lock.configure(ConfigParams.fromTuples('options.retry_timeout', 300));
        lock.configure(ConfigParams.fromTuples('options.other', 1));
        await rejection(lock.acquireLock(null, 'k', 1000, 400));
        // Attempts at ~0 and ~300, throw at ~600 (with 100 ms it would be 5 attempts).
        assert.lengthOf(lock.attempts, 2);
    });

    test('timeout error is ConflictException LOCK_TIMEOUT with details key', async () => {
        const lock = new CountingLock();
        lock.configure(ConfigParams.fromTuples('options.retry_timeout', 10));
        const error = await rejection(lock.acquireLock(Context.fromTraceId('trace-1'), 'my-key', 1000, 0));
        assert.strictEqual(error.code, 'LOCK_TIMEOUT');
        assert.strictEqual(error.name, 'LOCK_TIMEOUT');
        assert.strictEqual(error.message, 'Acquiring lock my-key failed on timeout');
        assert.strictEqual(error.details.get('key'), 'my-key');
        assert.strictEqual(error.category, 'Conflict');
        assert.strictEqual(error.status, 409);
        assert.strictEqual(error.trace_id, 'trace-1');
        assert.strictEqual(error.constructor.name, 'ConflictException');

        const noContext = await rejection(lock.acquireLock(null, 'k', 1000, 0));
        assert.isNull(noContext.trace_id);
    });

    test('errors from tryAcquireLock pass through unchanged', async () => {
        const original = new Error('driver failure');
        const lock = new CountingLock(0, original);
        const error = await rejection(lock.acquireLock(null, 'k', 1000, 1000));
        assert.strictEqual(error, original);
        assert.lengthOf(lock.attempts, 1);
    });
});

/*
 * Contract edge cases (§3.2) → test:
 * - one immediate attempt, no sleep on success → 'acquireLock returns after one immediate…'
 * - default interval 100 ms → 'default retry interval is 100 ms…'
 * - configure reads options.retry_timeout; 1000/300 → attempts 0/300/600/900, throw ≈1200 → 'configure reads…'
 * - check sits between sleep and attempt; timeout ≤ 0 → one attempt, one sleep, throw → 'timeout <= 0…'
 * - default = current value → 'configure without retry_timeout keeps the current value'
 * - ConflictException LOCK_TIMEOUT, details key, 409, trace id from context → 'timeout error is ConflictException…'
 * - tryAcquireLock errors pass through → 'errors from tryAcquireLock pass through unchanged'
 * Timing assertions are coarse bounds only.
 */

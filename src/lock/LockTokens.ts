/** @module lock */
import { randomBytes } from 'crypto';

/**
 * Makes one component's lock tokens: `<component>.<random>`, 6 random bytes naming the component
 * and 12 naming the acquisition, in hex. The component part names the inbox the component's
 * waiters hear their wake-ups on (see LockKeys.inbox).
 *
 * The random bytes come from a pool filled 512 tokens at a time: a `randomBytes` call per token
 * cost about 7 µs on the 2-core benchmark machine, a third of the client's CPU per uncontended
 * lock cycle.
 */
export class LockTokens {
    private static readonly _tokenBytes = 12;
    private static readonly _poolTokens = 512;
    private static _pool = Buffer.alloc(0);
    private static _offset = 0;

    /** The component part of every token made here. */
    public readonly component = LockTokens.random(6);

    /** @returns a new token, unique to this acquisition. */
    public next(): string {
        return this.component + '.' + LockTokens.random(LockTokens._tokenBytes);
    }

    private static random(bytes: number): string {
        if (LockTokens._offset + bytes > LockTokens._pool.length) {
            LockTokens._pool = randomBytes(LockTokens._tokenBytes * LockTokens._poolTokens);
            LockTokens._offset = 0;
        }
        const start = LockTokens._offset;
        LockTokens._offset += bytes;
        return LockTokens._pool.toString('hex', start, start + bytes);
    }
}

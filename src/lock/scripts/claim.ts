/** @module lock */
import { LockKeys } from '../LockKeys';

/**
 * Claim, in one round trip and without a script: `SET lock token NX PX ttl`, sent together with a
 * look at the first queued waiter (`LINDEX queue 0`). It is the uncontended path of an acquire
 * that needs no fence (the ILock methods): the floor's own command.
 *
 * Fairness holds because a release with waiters queued hands the lock straight to the first of
 * them, so the lock is free while waiters are queued only briefly after a holder's TTL ran out.
 * A claim that took the lock then finds a waiter first in line and must hand the lock to it
 * (the release step does) before it queues up itself.
 */

/** What the claim step needs from a client: node-redis' SET and LINDEX. */
export interface ClaimCommands {
    set(key: string, value: string, options: { condition: 'NX', expiration: { type: 'PX', value: number } }): Promise<string | null>;
    lIndex(key: string, index: number): Promise<string | null>;
}

/** The outcome of a claim. */
export type ClaimResult = 'taken' | 'busy' | 'taken-ahead-of-waiters';

/**
 * Claims a free lock.
 *
 * @param client    a node-redis client.
 * @param keys      the lock's keys.
 * @param token     this acquisition's token.
 * @param ttl       time to live in milliseconds.
 * @returns 'taken'; 'busy' when someone holds the lock; 'taken-ahead-of-waiters' when the lock
 *          was free but waiters are queued (the caller must hand it over).
 */
export async function claim(client: ClaimCommands, keys: LockKeys, token: string, ttl: number): Promise<ClaimResult> {
    const [set, head] = await Promise.all([
        client.set(keys.lock, token, { condition: 'NX', expiration: { type: 'PX', value: ttl } }),
        client.lIndex(keys.queue, 0)
    ]);
    if (set == null) return 'busy';
    return head == null ? 'taken' : 'taken-ahead-of-waiters';
}

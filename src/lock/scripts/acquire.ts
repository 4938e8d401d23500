/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Acquire, in one round trip: `SET lock token NX PX ttl` and, when that succeeds, `INCR` of the
 * fence counter, so the fencing token comes with the lock.
 *
 * Fairness: while waiters are queued, only the first of them may take a free lock; anyone else
 * (including the holder that just released) fails, and a waiting caller queues up behind. Queued
 * waiters that stopped retrying (gave up or died) are dropped once their deadline passes.
 *
 * KEYS: lock, fence, queue, waiters. ARGV: token, ttl (ms), '1' to queue up on failure,
 * lifetime of a queue entry (ms).
 * Returns {fence, 0} when acquired, else {0, PTTL of the lock} (-2: free but another waiter's turn).
 */
export const ACQUIRE_LUA = `
local head = redis.call('LINDEX', KEYS[3], 0)
local now
if head then
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
  local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
  for i = 1, #gone do
    redis.call('LREM', KEYS[3], 1, gone[i])
    redis.call('ZREM', KEYS[4], gone[i])
  end
  if #gone > 0 then head = redis.call('LINDEX', KEYS[3], 0) end
end
if (not head or head == ARGV[1]) and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if head then
    redis.call('LPOP', KEYS[3])
    redis.call('ZREM', KEYS[4], ARGV[1])
  end
  return {redis.call('INCR', KEYS[2]), 0}
end
if ARGV[3] == '1' then
  if not now then
    local t = redis.call('TIME')
    now = t[1] * 1000 + math.floor(t[2] / 1000)
  end
  if redis.call('ZADD', KEYS[4], now + tonumber(ARGV[4]), ARGV[1]) == 1 then
    redis.call('RPUSH', KEYS[3], ARGV[1])
  end
end
return {0, redis.call('PTTL', KEYS[1])}
`;

/** The acquire script as a typed node-redis script. */
export const ACQUIRE_SCRIPT = defineScript({
    SCRIPT: ACQUIRE_LUA,
    NUMBER_OF_KEYS: 4,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string, ttl: number, queueFor: number) {
        parser.pushKeys([keys.lock, keys.fence, keys.queue, keys.waiters]);
        parser.push(token, String(ttl), queueFor > 0 ? '1' : '0', String(queueFor));
    },
    transformReply: undefined as unknown as () => [number, number]
});

/** What the acquire step needs from a client: the script registered as `lockAcquire`. */
export interface AcquireCommands {
    lockAcquire(keys: LockKeys, token: string, ttl: number, queueFor: number): Promise<[number, number]>;
}

/** The outcome of one acquire attempt. */
export interface AcquireResult {
    /** The fencing token when acquired, 0 when not. */
    fence: number;
    /** When not acquired: the lock's remaining TTL in ms, or a negative number when unknown. */
    pttl: number;
}

/**
 * One acquire attempt.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param token     this acquisition's token (also its place in the waiter queue).
 * @param ttl       time to live in milliseconds.
 * @param queueFor  0 for a single attempt; otherwise queue up on failure, and count as gone from
 *                  the queue unless the next attempt comes within this many milliseconds.
 * @returns the fence when acquired, or the lock's remaining TTL.
 */
export async function acquire(client: AcquireCommands, keys: LockKeys, token: string, ttl: number,
    queueFor: number): Promise<AcquireResult> {
    const [fence, pttl] = await client.lockAcquire(keys, token, ttl, queueFor);
    return { fence, pttl };
}

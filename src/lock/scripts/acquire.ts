/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Acquire, in one round trip: takes the lock when it is free (`SET lock token NX PX ttl`) and hands
 * out the fencing token from the same script. Uncontended (nobody queued) it runs five commands:
 * TIME, LINDEX, GET of the last fence, SET NX and SET of the fence.
 *
 * Fence: `max(last fence + 1, server time in microseconds)`. It strictly increases per key, and it
 * does not go back when Redis loses its data (a restart without persistence, a failover that
 * lost the last writes), as long as the server clock does not step back by more than the time
 * since the key's last acquisition. The last fence is kept only until the clock has surely passed
 * it (1 s, longer if fences ran ahead of the clock), so nothing stays behind per key. Microseconds
 * since 1970 stay below 2^53, exact in Lua and in JavaScript, until the year 2255.
 *
 * Fairness: while waiters are queued, only the first of them may take a free lock; anyone else
 * (including the holder that just released) fails, and a waiting caller queues up behind. Queued
 * waiters that stopped refreshing (gave up or died) are dropped once their deadline passes, and the
 * queue keys expire with their last deadline, so a dead waiter leaves nothing behind either.
 *
 * An attempt whose token already holds the lock (an earlier attempt of the same acquisition ran,
 * but its reply was lost to an outage) succeeds again, with a fresh TTL and a fresh fence.
 *
 * Every step that can fail (a key of the wrong type) runs before the first write, so an error
 * never leaves a lock that nobody knows it holds.
 *
 * KEYS: lock, fence, queue, waiters. ARGV: token, ttl (ms), '1' to queue up on failure,
 * lifetime of a queue entry (ms).
 * Returns {fence, 0, 0} when acquired, else {0, PTTL of the lock (-2: free but another waiter's
 * turn), 1 when the token is first in line}.
 */
export const ACQUIRE_LUA = `
local lockKey, fenceKey, queueKey, waitersKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local token, ttl, queueUp, queueFor = ARGV[1], ARGV[2], ARGV[3] == '1', tonumber(ARGV[4])

local clock = redis.call('TIME')
local nowMicros = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local nowMillis = math.floor(nowMicros / 1000)

-- Waiters whose deadline passed are gone: they are dropped before anyone looks at who is first.
local head = redis.call('LINDEX', queueKey, 0)
local pruned = false
local function prune()
  pruned = true
  local gone = redis.call('ZRANGEBYSCORE', waitersKey, '-inf', nowMillis)
  for i = 1, #gone do
    redis.call('LREM', queueKey, 1, gone[i])
    redis.call('ZREM', waitersKey, gone[i])
  end
  if #gone > 0 then head = redis.call('LINDEX', queueKey, 0) end
end
if head then prune() end

-- The last fence is read before the lock is written: a read that fails then leaves nothing behind.
local lastFence = nil
local acquired = false
if not head or head == token then
  lastFence = tonumber(redis.call('GET', fenceKey)) or 0
  acquired = redis.call('SET', lockKey, token, 'NX', 'PX', ttl)
end
if not acquired and redis.call('GET', lockKey) == token then
  lastFence = lastFence or tonumber(redis.call('GET', fenceKey)) or 0
  acquired = redis.call('SET', lockKey, token, 'PX', ttl)
end

if acquired then
  if head == token then
    redis.call('LPOP', queueKey)
    redis.call('ZREM', waitersKey, token)
  end
  local fence = math.max(lastFence + 1, nowMicros)
  local keepMillis = 1000 + math.ceil((fence - nowMicros) / 1000)
  redis.call('SET', fenceKey, string.format('%.0f', fence), 'PX', keepMillis)
  return {fence, 0, 0}
end

local first = head == token
if queueUp then
  if not pruned then prune() end
  first = head == token
  if redis.call('ZADD', waitersKey, nowMillis + queueFor, token) == 1 then
    first = redis.call('RPUSH', queueKey, token) == 1
  end
  if redis.call('PTTL', waitersKey) < queueFor then
    redis.call('PEXPIRE', waitersKey, queueFor)
    redis.call('PEXPIRE', queueKey, queueFor)
  end
end
return {0, redis.call('PTTL', lockKey), first and 1 or 0}
`;

/** The acquire script as a typed node-redis script. */
export const ACQUIRE_SCRIPT = defineScript({
    SCRIPT: ACQUIRE_LUA,
    NUMBER_OF_KEYS: 4,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string, ttl: number, queueFor: number) {
        parser.pushKeys([keys.lock, keys.fence, keys.queue, keys.waiters]);
        parser.push(token, String(ttl), queueFor > 0 ? '1' : '0', String(queueFor));
    },
    transformReply: undefined as unknown as () => [number, number, number]
});

/** What the acquire step needs from a client: the script registered as `lockAcquire`. */
export interface AcquireCommands {
    lockAcquire(keys: LockKeys, token: string, ttl: number, queueFor: number): Promise<[number, number, number]>;
}

/** The outcome of one acquire attempt. */
export interface AcquireResult {
    /** The fencing token when acquired, 0 when not. */
    fence: number;
    /** When not acquired: the lock's remaining TTL in ms, or a negative number when unknown. */
    pttl: number;
    /** When not acquired: true when the token is first in line (the lock is its next). */
    first: boolean;
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
    const [fence, pttl, first] = await client.lockAcquire(keys, token, ttl, queueFor);
    return { fence, pttl, first: first === 1 };
}

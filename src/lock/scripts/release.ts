/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Release, in one round trip: only while the lock still holds the caller's token, so a holder
 * whose lock expired and passed to someone else can never free the new owner's lock.
 *
 * With nobody queued, it deletes the lock. With waiters queued, it hands the lock straight to the
 * first of them (one hop: the waiter does not have to come back and acquire): the lock key gets
 * the waiter's token for a short grant only, the waiter's fence is handed out here, and
 * `token:fence` is published in the waiter's inbox (its component's channel, see LockKeys.inbox).
 * The waiter confirms by extending the lock to its own TTL; one that died never does, and holds
 * the lock only for the grant, not a full TTL.
 * Waiters whose queue deadline passed (they died) are dropped first. The lock is therefore never
 * free while a live waiter is queued, except after a holder's TTL ran out.
 *
 * The fence is computed as by the acquire script. The PUBLISH, the step that can fail (an ACL
 * without the channel), runs before any write: a release happens entirely or not at all, and the
 * caller hears which.
 *
 * KEYS: lock, fence, queue, waiters. ARGV: token, the lock's channel stem, the publish command
 * (PUBLISH, or SPUBLISH on a Redis Cluster: a sharded message stays within the lock's shard),
 * grant (ms).
 * Returns 1 when the token held the lock and it is deleted, 2 when it was handed over, 0 when the
 * lock was free or held by another token.
 */
export const RELEASE_LUA = `
local lockKey, fenceKey, queueKey, waitersKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local token, channel, publishCommand, grantFor = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
${LockKeys.inboxOfLua}

if redis.call('GET', lockKey) ~= token then return 0 end
local head = redis.call('LINDEX', queueKey, 0)
if not head then
  redis.call('DEL', lockKey)
  return 1
end

local clock = redis.call('TIME')
local nowMicros = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local gone = redis.call('ZRANGEBYSCORE', waitersKey, '-inf', math.floor(nowMicros / 1000))
local lastFence = tonumber(redis.call('GET', fenceKey)) or 0
local dead = {}
for i = 1, #gone do dead[gone[i]] = true end
local position = 0
while head and dead[head] do
  position = position + 1
  head = redis.call('LINDEX', queueKey, position)
end

local fence = math.max(lastFence + 1, nowMicros)
if head then redis.call(publishCommand, inboxOf(head), head .. ':' .. string.format('%.0f', fence)) end
for i = 1, #gone do
  redis.call('LREM', queueKey, 1, gone[i])
  redis.call('ZREM', waitersKey, gone[i])
end
if not head then
  redis.call('DEL', lockKey)
  return 1
end
redis.call('LPOP', queueKey)
redis.call('ZREM', waitersKey, head)
redis.call('SET', lockKey, head, 'PX', grantFor)
local keepMillis = 1000 + math.ceil((fence - nowMicros) / 1000)
redis.call('SET', fenceKey, string.format('%.0f', fence), 'PX', keepMillis)
return 2
`;

/** The release script as a typed node-redis script. */
export const RELEASE_SCRIPT = defineScript({
    SCRIPT: RELEASE_LUA,
    NUMBER_OF_KEYS: 4,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string, grantFor: number) {
        parser.pushKeys([keys.lock, keys.fence, keys.queue, keys.waiters]);
        parser.push(token, keys.channel, keys.publishCommand, String(grantFor));
    },
    transformReply: undefined as unknown as () => number
});

/** What the release step needs from a client: the script registered as `lockRelease`. */
export interface ReleaseCommands {
    lockRelease(keys: LockKeys, token: string, grantFor: number): Promise<number>;
}

/** The outcome of a release: the token did not hold the lock, or it did and the lock is now free or another waiter's. */
export type ReleaseResult = 'not_held' | 'released' | 'handed_over';

/**
 * Release: compare-and-delete, or hand the lock to the first waiter.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param token     the token of the acquisition to release.
 * @param grantFor  how long a waiter the lock is handed to holds it until it confirms, in ms.
 * @returns what became of the lock.
 */
export async function release(client: ReleaseCommands, keys: LockKeys, token: string, grantFor: number): Promise<ReleaseResult> {
    const reply = await client.lockRelease(keys, token, grantFor);
    return reply === 2 ? 'handed_over' : reply === 1 ? 'released' : 'not_held';
}

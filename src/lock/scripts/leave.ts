/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Leave the waiter queue, in one round trip, for a waiter that gives up (timeout, abort, or its
 * component closing). When it was first in line and the lock is free, the next waiter is woken so
 * the lock does not sit idle until that waiter's own timer fires. The PUBLISH, the step that can
 * fail, runs before any write.
 *
 * KEYS: lock, queue, waiters. ARGV: token, the lock's channel stem (the waiter woken hears it in
 * its inbox, see LockKeys.inbox), the publish command (PUBLISH, or SPUBLISH on a Redis Cluster).
 * Returns 1 when the token was queued.
 */
export const LEAVE_LUA = `
local lockKey, queueKey, waitersKey = KEYS[1], KEYS[2], KEYS[3]
local token, channel, publishCommand = ARGV[1], ARGV[2], ARGV[3]
${LockKeys.inboxOfLua}

if redis.call('LINDEX', queueKey, 0) == token and redis.call('EXISTS', lockKey) == 0 then
  local nextWaiter = redis.call('LINDEX', queueKey, 1)
  if nextWaiter then redis.call(publishCommand, inboxOf(nextWaiter), nextWaiter) end
end
redis.call('ZREM', waitersKey, token)
return redis.call('LREM', queueKey, 1, token)
`;

/** The leave script as a typed node-redis script. */
export const LEAVE_SCRIPT = defineScript({
    SCRIPT: LEAVE_LUA,
    NUMBER_OF_KEYS: 3,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string) {
        parser.pushKeys([keys.lock, keys.queue, keys.waiters]);
        parser.push(token, keys.channel, keys.publishCommand);
    },
    transformReply: undefined as unknown as () => number
});

/** What the leave step needs from a client: the script registered as `lockLeave`. */
export interface LeaveCommands {
    lockLeave(keys: LockKeys, token: string): Promise<number>;
}

/**
 * Leave the waiter queue.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param token     the waiter's token.
 * @returns true when the token was in the queue.
 */
export async function leave(client: LeaveCommands, keys: LockKeys, token: string): Promise<boolean> {
    return (await client.lockLeave(keys, token)) === 1;
}

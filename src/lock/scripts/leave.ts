/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Leave the waiter queue, in one round trip, for a waiter that gives up (timeout or abort). When
 * it was first in line and the lock is free, the next waiter is woken so the lock does not sit
 * idle until that waiter's own timer fires.
 *
 * KEYS: lock, queue, waiters. ARGV: token, channel. Returns 1 when the token was queued.
 */
export const LEAVE_LUA = `
redis.call('ZREM', KEYS[3], ARGV[1])
local head = redis.call('LINDEX', KEYS[2], 0)
if redis.call('LREM', KEYS[2], 1, ARGV[1]) == 0 then return 0 end
if head == ARGV[1] and redis.call('EXISTS', KEYS[1]) == 0 then
  local next = redis.call('LINDEX', KEYS[2], 0)
  if next then redis.call('PUBLISH', ARGV[2], next) end
end
return 1
`;

/** The leave script as a typed node-redis script. */
export const LEAVE_SCRIPT = defineScript({
    SCRIPT: LEAVE_LUA,
    NUMBER_OF_KEYS: 3,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string) {
        parser.pushKeys([keys.lock, keys.queue, keys.waiters]);
        parser.push(token, keys.channel);
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

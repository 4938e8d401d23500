/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Release, in one round trip: deletes the lock only while it still holds the caller's token, so
 * a holder whose lock expired and passed to someone else can never delete the new owner's lock;
 * then publishes the first waiter's token so that waiter retries at once.
 *
 * KEYS: lock, queue. ARGV: token, channel.
 * Returns 1 when deleted, 0 when the lock was free or held by another token.
 */
export const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  local head = redis.call('LINDEX', KEYS[2], 0)
  if head then redis.call('PUBLISH', ARGV[2], head) end
  return 1
end
return 0
`;

/** The release script as a typed node-redis script. */
export const RELEASE_SCRIPT = defineScript({
    SCRIPT: RELEASE_LUA,
    NUMBER_OF_KEYS: 2,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string) {
        parser.pushKeys([keys.lock, keys.queue]);
        parser.push(token, keys.channel);
    },
    transformReply: undefined as unknown as () => number
});

/** What the release step needs from a client: the script registered as `lockRelease`. */
export interface ReleaseCommands {
    lockRelease(keys: LockKeys, token: string): Promise<number>;
}

/**
 * Release: compare-and-delete, waking the next waiter.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param token     the token of the acquisition to release.
 * @returns true when this token held the lock and it is now deleted.
 */
export async function release(client: ReleaseCommands, keys: LockKeys, token: string): Promise<boolean> {
    return (await client.lockRelease(keys, token)) === 1;
}

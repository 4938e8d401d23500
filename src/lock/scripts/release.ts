/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Release, in one round trip: deletes the lock only while it still holds the caller's token, so
 * a holder whose lock expired and passed to someone else can never delete the new owner's lock;
 * the first waiter's token is published so that waiter retries at once.
 *
 * The PUBLISH is the step that can fail (an ACL without the channel), so it runs before the DEL:
 * a release either happens entirely or not at all, and the caller hears which.
 *
 * KEYS: lock, queue. ARGV: token, channel, the publish command (PUBLISH, or SPUBLISH on a Redis Cluster:
 * a sharded message stays within the lock's shard).
 * Returns 1 when deleted, 0 when the lock was free or held by another token.
 */
export const RELEASE_LUA = `
local lockKey, queueKey = KEYS[1], KEYS[2]
local token, channel, publishCommand = ARGV[1], ARGV[2], ARGV[3]

if redis.call('GET', lockKey) ~= token then return 0 end
local head = redis.call('LINDEX', queueKey, 0)
if head then redis.call(publishCommand, channel, head) end
redis.call('DEL', lockKey)
return 1
`;

/** The release script as a typed node-redis script. */
export const RELEASE_SCRIPT = defineScript({
    SCRIPT: RELEASE_LUA,
    NUMBER_OF_KEYS: 2,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string) {
        parser.pushKeys([keys.lock, keys.queue]);
        parser.push(token, keys.channel, keys.publishCommand);
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

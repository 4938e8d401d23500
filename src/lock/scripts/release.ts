/** @module lock */
import { CommandParser, defineScript } from 'redis';

/**
 * Deletes the lock only while it still holds the caller's token, atomically: a holder whose
 * lock expired and passed to someone else can never delete the new owner's lock.
 * Returns 1 when deleted, 0 when the lock was free or held by another token.
 */
export const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** The release script as a typed node-redis script (EVALSHA, EVAL on NOSCRIPT). */
export const RELEASE_SCRIPT = defineScript({
    SCRIPT: RELEASE_LUA,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser: CommandParser, key: string, token: string) {
        parser.pushKey(key);
        parser.push(token);
    },
    transformReply: undefined as unknown as () => number
});

/** What the release step needs from a client: the script registered as `lockRelease`. */
export interface ReleaseCommands {
    lockRelease(key: string, token: string): Promise<number>;
}

/**
 * Release: one round trip, compare-and-delete.
 *
 * @param client    a node-redis client with the release script registered.
 * @param key       the lock key.
 * @param token     the token of the acquisition to release.
 * @returns true when this token held the lock and it is now deleted.
 */
export async function release(client: ReleaseCommands, key: string, token: string): Promise<boolean> {
    return (await client.lockRelease(key, token)) === 1;
}

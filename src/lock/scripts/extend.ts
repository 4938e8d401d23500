/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Extend, in one round trip: sets a new TTL only while the lock still holds the caller's token.
 *
 * KEYS: lock. ARGV: token, ttl (ms). Returns 1 when extended, 0 when the token no longer holds it.
 */
export const EXTEND_LUA = `
local lockKey = KEYS[1]
local token, ttl = ARGV[1], ARGV[2]

if redis.call('GET', lockKey) == token then
  return redis.call('PEXPIRE', lockKey, ttl)
end
return 0
`;

/** The extend script as a typed node-redis script. */
export const EXTEND_SCRIPT = defineScript({
    SCRIPT: EXTEND_LUA,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser: CommandParser, keys: LockKeys, token: string, ttl: number) {
        parser.pushKey(keys.lock);
        parser.push(token, String(ttl));
    },
    transformReply: undefined as unknown as () => number
});

/** What the extend step needs from a client: the script registered as `lockExtend`. */
export interface ExtendCommands {
    lockExtend(keys: LockKeys, token: string, ttl: number): Promise<number>;
}

/**
 * Extend: compare-and-PEXPIRE.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param token     the token of the acquisition to extend.
 * @param ttl       the new time to live from now, in milliseconds.
 * @returns true when the token still held the lock and its TTL is now `ttl`.
 */
export async function extend(client: ExtendCommands, keys: LockKeys, token: string, ttl: number): Promise<boolean> {
    return (await client.lockExtend(keys, token, ttl)) === 1;
}

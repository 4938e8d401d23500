/** @module lock */
import { CommandParser, defineScript } from 'redis';

import { LockKeys } from '../LockKeys';

/**
 * Keep waiting, in one round trip for all of a component's waiters on one lock: moves their
 * deadlines forward, so they keep their places in the queue without re-running the acquire
 * script, and tells them what they need to know to sleep until it is their turn.
 *
 * Only tokens still queued are refreshed (ZADD XX): a token that got the lock or left meanwhile
 * must not come back as a waiter nobody is behind. One ZADD refreshes up to 500 tokens (Lua's
 * unpack takes a few thousand values at most); only when it changed fewer scores than tokens were
 * sent (one went missing, or was refreshed within the same millisecond) are they looked up one by
 * one. Waiters whose deadline passed are dropped, as the acquire script does; when that leaves
 * the lock free with a waiter first in line, that waiter is woken, so a dead head holds up the
 * queue only until its deadline.
 *
 * KEYS: lock, queue, waiters. ARGV: the lock's channel stem (the head hears it in its inbox, see
 * LockKeys.inbox), the publish command (PUBLISH, or SPUBLISH on a Redis Cluster), lifetime of a
 * queue entry (ms), then the tokens to refresh.
 * Returns {PTTL of the lock (-2: free), the first waiter's token or '', then the tokens no longer queued}.
 */
export const TOUCH_LUA = `
local lockKey, queueKey, waitersKey = KEYS[1], KEYS[2], KEYS[3]
local channel, publishCommand, queueFor = ARGV[1], ARGV[2], tonumber(ARGV[3])
${LockKeys.inboxOfLua}

local clock = redis.call('TIME')
local nowMillis = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', waitersKey, '-inf', nowMillis)
for i = 1, #gone do
  redis.call('LREM', queueKey, 1, gone[i])
  redis.call('ZREM', waitersKey, gone[i])
end

local reply = {redis.call('PTTL', lockKey), redis.call('LINDEX', queueKey, 0) or ''}
local deadline = nowMillis + queueFor
local refreshed = 0
for first = 4, #ARGV, 500 do
  local scoredTokens = {}
  for i = first, math.min(first + 499, #ARGV) do
    scoredTokens[#scoredTokens + 1] = deadline
    scoredTokens[#scoredTokens + 1] = ARGV[i]
  end
  refreshed = refreshed + redis.call('ZADD', waitersKey, 'XX', 'CH', unpack(scoredTokens))
end
if refreshed < #ARGV - 3 then
  for i = 4, #ARGV do
    if not redis.call('ZSCORE', waitersKey, ARGV[i]) then reply[#reply + 1] = ARGV[i] end
  end
end
if redis.call('PTTL', waitersKey) < queueFor then
  redis.call('PEXPIRE', waitersKey, queueFor)
  redis.call('PEXPIRE', queueKey, queueFor)
end
if reply[1] == -2 and reply[2] ~= '' and #gone > 0 then
  redis.call(publishCommand, inboxOf(reply[2]), reply[2])
end
return reply
`;

/** The touch script as a typed node-redis script. */
export const TOUCH_SCRIPT = defineScript({
    SCRIPT: TOUCH_LUA,
    NUMBER_OF_KEYS: 3,
    parseCommand(parser: CommandParser, keys: LockKeys, tokens: string[], queueFor: number) {
        parser.pushKeys([keys.lock, keys.queue, keys.waiters]);
        parser.push(keys.channel, keys.publishCommand, String(queueFor), ...tokens);
    },
    transformReply: undefined as unknown as () => [number, string, ...string[]]
});

/** What the touch step needs from a client: the script registered as `lockTouch`. */
export interface TouchCommands {
    lockTouch(keys: LockKeys, tokens: string[], queueFor: number): Promise<[number, string, ...string[]]>;
}

/** What waiters on one lock learn from a touch. */
export interface TouchResult {
    /** The lock's remaining TTL in ms; negative when it is free. */
    pttl: number;
    /** The token first in line, or null when nobody is queued. */
    head: string | null;
    /** Tokens that are no longer queued. */
    missing: string[];
}

/**
 * Refreshes the queue deadlines of waiting tokens on one lock.
 *
 * @param client    a node-redis client with the script registered.
 * @param keys      the lock's keys.
 * @param tokens    the tokens of this component's waiters on the lock.
 * @param queueFor  how long from now each of them stays queued without another refresh, in ms.
 * @returns the lock's state as the waiters need it.
 */
export async function touch(client: TouchCommands, keys: LockKeys, tokens: string[], queueFor: number): Promise<TouchResult> {
    const [pttl, head, ...missing] = await client.lockTouch(keys, tokens, queueFor);
    return { pttl, head: head == '' ? null : head, missing };
}

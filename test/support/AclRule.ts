/**
 * The least-privilege ACL rule RedisLock and RedisCache need, in ONE place: the README's ACL
 * section must show exactly these commands (test/connect/LeastPrivilege.test.ts checks it), and
 * the least-privilege tests run every operation as a user limited to them.
 *
 * Where each command comes from:
 * - connection (node-redis): HELLO with AUTH at connect (always allowed, no rule needed), PING
 *   every command_timeout/2; SELECT only when `connection.database` is not 0 (not listed);
 * - scripts: EVALSHA, and EVAL when the server does not have the script cached yet;
 * - inside the lock's scripts (src/lock/scripts): GET SET DEL EXISTS PTTL PEXPIRE TIME INCR LINDEX
 *   LPOP RPUSH LREM ZADD ZREM ZRANGEBYSCORE PUBLISH;
 * - the cache (src/cache/commands): GET SET DEL;
 * - the waiters' subscriber connection: SUBSCRIBE UNSUBSCRIBE.
 */
export const LOCK_AND_CACHE_COMMANDS = [
    'ping',
    'evalsha', 'eval',
    'get', 'set', 'del', 'exists', 'pttl', 'pexpire', 'time',
    'lindex', 'lpop', 'rpush', 'lrem',
    'zadd', 'zrem', 'zrangebyscore',
    'publish', 'subscribe', 'unsubscribe'
];

/**
 * The rule after `ACL SETUSER <name> on >password`, for a component with `options.key_prefix`
 * `prefix` (keys and channels limited to it), or for every key and channel without one.
 *
 * @param prefix    (optional) the components' `options.key_prefix`.
 * @param channels  false to leave out the channel permission (to see what its absence does).
 * @returns the rule's words.
 */
export function aclRule(prefix?: string, channels = true): string[] {
    const pattern = (prefix ?? '') + '*';
    return ['resetkeys', 'resetchannels', '~' + pattern, ...(channels ? ['&' + pattern] : []),
        '-@all', ...LOCK_AND_CACHE_COMMANDS.map(command => '+' + command)];
}

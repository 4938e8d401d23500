/** @module lock */

/**
 * Names of the Redis keys and channel behind one lock. The lock key is the caller's key, verbatim;
 * the companion keys (fence counter, waiter queue, waiter deadlines) and the release channel carry
 * the lock key's hash tag (`{key}`, or the key's own tag if it has one), so every script touches one
 * cluster slot.
 *
 * node-redis prepends `options.key_prefix` to keys but not to channels, so the channel name
 * carries the prefix itself.
 */
export class LockKeys {
    /** The caller's key: the lock itself, holding the owner's token. */
    public readonly lock: string;
    /** Counter the fencing tokens come from (no TTL: it must never go back). */
    public readonly fence: string;
    /** List of waiting tokens in arrival order. */
    public readonly queue: string;
    /** Sorted set of waiting tokens scored by the time they count as gone unless they retry. */
    public readonly waiters: string;
    /** Channel the release publishes the next waiter's token on. */
    public readonly channel: string;

    /**
     * Names the keys of a lock.
     *
     * @param key       the caller's lock key.
     * @param prefix    (optional) the connection's key prefix.
     */
    public constructor(key: string, prefix: string = '') {
        const tagged = LockKeys.hasHashTag(key) ? key : '{' + key + '}';
        this.lock = key;
        this.fence = tagged + ':fence';
        this.queue = tagged + ':queue';
        this.waiters = tagged + ':waiters';
        this.channel = prefix + tagged + ':released';
    }

    /**
     * Tells whether a key has a Redis Cluster hash tag: a `{...}` with at least one character inside.
     *
     * @param key   a key.
     * @returns true when the key's slot comes from its tag.
     */
    public static hasHashTag(key: string): boolean {
        const open = key.indexOf('{');
        if (open < 0) return false;
        const close = key.indexOf('}', open + 1);
        return close > open + 1;
    }
}

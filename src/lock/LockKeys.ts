/** @module lock */
import { KeyPrefix } from '../connect/KeyPrefix';

/**
 * Names of the Redis keys and channel behind one lock: the one place that builds them.
 *
 * - The lock key of a caller's lock is the caller's key, verbatim, so instances of 0.0.3 sharing
 *   the Redis still exclude these.
 * - Companion keys (last fence, waiter queue, waiter deadlines) and the release channel are named
 *   `<tag>\0<role>`, where `<tag>` is the lock key's cluster hash tag (`{key}`, or the key itself
 *   when it has a tag of its own), so every script touches one cluster slot. The NUL separator is
 *   what keeps them apart from every caller's key: callers' keys may not contain NUL (checked
 *   before anything is sent), so no lock or cache key can ever name a companion key.
 * - Internal locks (the cache's fill lock) use a `namespace`: their lock key is `<tag>\0<namespace>`
 *   and their companions `<tag>\0<namespace>.<role>`, apart from the callers' locks on the same key.
 *
 * Every name goes through the connection's [[KeyPrefix]] (`options.key_prefix`).
 */
export class LockKeys {
    /** The separator of companion names; callers' keys may not contain it. */
    public static readonly separator = '\u0000';

    /** The lock key, holding the owner's token. */
    public readonly lock: string;
    /** The last fence handed out, kept while it can matter (it carries a TTL). */
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
     * @param key       the caller's key (must not contain NUL).
     * @param prefix    (optional) the connection's key prefix.
     * @param namespace (optional) the namespace of an internal lock on the key; none for callers' locks.
     */
    public constructor(key: string, prefix: KeyPrefix = KeyPrefix.none, namespace: string = '') {
        const tag = LockKeys.hasHashTag(key) ? key : '{' + key + '}';
        const base = tag + LockKeys.separator + (namespace != '' ? namespace + '.' : '');
        this.lock = prefix.name(namespace != '' ? tag + LockKeys.separator + namespace : key);
        this.fence = prefix.name(base + 'fence');
        this.queue = prefix.name(base + 'queue');
        this.waiters = prefix.name(base + 'waiters');
        this.channel = prefix.name(base + 'released');
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

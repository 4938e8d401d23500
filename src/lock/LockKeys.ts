/** @module lock */
import { HashSlot } from '../connect/HashSlot';
import { KeySpace } from '../connect/KeySpace';

/**
 * Names of the Redis keys and channel behind one lock: the one place that builds them.
 *
 * - The lock key of a caller's lock is the caller's key (after `options.key_prefix`), verbatim,
 *   so instances of 0.0.3 sharing the Redis still exclude these.
 * - Companion keys (last fence, waiter queue, waiter deadlines) and the release channel are named
 *   `<stem>\0<role>`, where `<stem>` starts with the key prefix and puts them in the lock key's
 *   cluster slot (see [[HashSlot.stemFor]]: `prefix{lock key}`, or the lock key itself when it has a
 *   hash tag of its own), so every script touches one slot, with or without a key prefix. The NUL separator is what
 *   keeps them apart from every caller's key: callers' keys and the prefix may not contain NUL
 *   (checked before anything is sent), so no lock or cache key can ever name a companion key.
 * - Internal locks (the cache's fill lock) use a `namespace`: their lock key is `<stem>\0<namespace>`
 *   and their companions `<stem>\0<namespace>.<role>`, apart from the callers' locks on the same key.
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
    /**
     * Stem of the lock's channels: each component waiting on the lock listens on an inbox of its
     * own, `<channel>:<component>` (see [[inbox]]), so a wake-up meant for one waiter wakes only
     * the process it waits in.
     */
    public readonly channel: string;
    /**
     * [[inbox]] for the scripts: a Lua function `inboxOf(token)`, to be declared after a local
     * `channel` holding [[channel]].
     */
    public static readonly inboxOfLua = `local function inboxOf(token) return channel .. ':' .. string.match(token, '^[^.]*') end`;

    /** The command that publishes on the inboxes: SPUBLISH on a Redis Cluster, else PUBLISH. */
    public readonly publishCommand: 'PUBLISH' | 'SPUBLISH';

    /**
     * Names the keys of a lock.
     *
     * @param key       the caller's key (must not contain NUL).
     * @param space     (optional) the connection's key space (prefix, sharded channels).
     * @param namespace (optional) the namespace of an internal lock on the key; none for callers' locks.
     */
    public constructor(key: string, space: KeySpace = KeySpace.none, namespace: string = '') {
        const named = space.name(key);
        const stem = HashSlot.stemFor(space.prefix, key);
        const base = stem + LockKeys.separator + (namespace != '' ? namespace + '.' : '');
        this.lock = namespace != '' ? stem + LockKeys.separator + namespace : named;
        this.fence = base + 'fence';
        this.queue = base + 'queue';
        this.waiters = base + 'waiters';
        this.channel = base + 'released';
        this.publishCommand = space.shardedChannels ? 'SPUBLISH' : 'PUBLISH';
    }

    /**
     * The channel a token's wake-ups are published on: the inbox of the component that made it.
     * A token is `<component>.<random>` (see LockTokens); the scripts name the inbox the same way
     * (see [[inboxOfLua]]). It shares the lock key's cluster slot.
     *
     * @param token     a waiter's token.
     * @returns the inbox's channel name.
     */
    public inbox(token: string): string {
        const dot = token.indexOf('.');
        return this.channel + ':' + (dot < 0 ? token : token.slice(0, dot));
    }
}

/** @module cache */
import { LockKeys } from '../lock/LockKeys';

/**
 * Names the lock that guards the fill of a cache key in `RedisCache.getOrSet`.
 *
 * The lock key is a companion of the cache key that lands in the same Redis Cluster hash slot:
 * when the key as Redis sees it (`options.key_prefix` + key) already has a non-empty `{tag}`, the
 * companion keeps it (`key` + suffix); otherwise the whole key becomes the tag
 * (`{prefix + key}` + suffix, to which the connection prepends the prefix again).
 *
 * @example
 * ```typescript
 * FillLockKey.of("user:1");                  // "{user:1}:fill-lock"
 * FillLockKey.of("{user:1}:profile");        // "{user:1}:profile:fill-lock"
 * FillLockKey.of("user:1", "svcA:");         // "{svcA:user:1}:fill-lock", sent as "svcA:{svcA:user:1}:fill-lock"
 * ```
 */
export class FillLockKey {
    /** What the companion key ends with. */
    public static readonly suffix = ':fill-lock';

    /**
     * The lock key guarding the fill of a cache key.
     *
     * @param key       the cache key, as the caller gave it.
     * @param prefix    (optional) the connection's `options.key_prefix`.
     * @returns the lock key to give the lock (the connection adds the prefix).
     */
    public static of(key: string, prefix?: string): string {
        const full = (prefix ?? '') + key;
        if (LockKeys.hasHashTag(full)) return key + FillLockKey.suffix;
        return '{' + full + '}' + FillLockKey.suffix;
    }
}

/** @module cache */
import { RedisLock } from '../lock/RedisLock';

/**
 * The lock that guards the fill of a cache key in `RedisCache.getOrSet`: a [[RedisLock]] whose
 * locks live in a namespace of their own. Its lock on cache key `k` is the Redis key `{k}\0fill`
 * (or `k\0fill` when `k` has a `{tag}`): in the cache key's cluster slot, and apart from every
 * caller's lock and cache key, which may not contain NUL.
 */
export class FillLock extends RedisLock {
    protected get keyNamespace(): string {
        return 'fill';
    }

    // Its counters, traces and log messages go under the cache's name, apart from any RedisLock's.
    protected get componentName(): string {
        return 'redis_cache.fill_lock';
    }
}

/** @module build */
import { Descriptor, Factory } from 'pip-services4-components-node';

import { RedisCache } from '../cache/RedisCache';
import { RedisLock } from '../lock/RedisLock';

/**
 * Creates Redis components by their descriptors.
 *
 * Registered descriptors:
 * - `pip-services:cache:redis:*:1.0` → [[RedisCache]]
 * - `pip-services:lock:redis:*:1.0` → [[RedisLock]]
 *
 * @see Factory
 * @see RedisCache
 * @see RedisLock
 *
 * @example
 * ```typescript
 * class MyContainer extends ProcessContainer {
 *   public constructor() {
 *     super("my-service", "My service");
 *     this._factories.add(new DefaultRedisFactory());
 *   }
 * }
 * ```
 */
export class DefaultRedisFactory extends Factory {
    /** Descriptor of RedisCache: `pip-services:cache:redis:*:1.0`. */
    public static readonly RedisCacheDescriptor = new Descriptor('pip-services', 'cache', 'redis', '*', '1.0');
    /** Descriptor of RedisLock: `pip-services:lock:redis:*:1.0`. */
    public static readonly RedisLockDescriptor = new Descriptor('pip-services', 'lock', 'redis', '*', '1.0');

    /**
     * Creates the factory and registers the Redis components.
     */
    public constructor() {
        super();
        this.registerAsType(DefaultRedisFactory.RedisCacheDescriptor, RedisCache);
        this.registerAsType(DefaultRedisFactory.RedisLockDescriptor, RedisLock);
    }
}

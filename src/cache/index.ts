/** @module cache */
export { RedisCache } from './RedisCache';
export { CacheCodec } from './CacheCodec';

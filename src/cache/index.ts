/** @module cache */
export { RedisCache } from './RedisCache';

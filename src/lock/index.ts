/** @module lock */
export { RedisLock } from './RedisLock';

/** @module build */
export { DefaultRedisFactory } from './DefaultRedisFactory';

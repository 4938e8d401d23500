/** @module index */
// The public API. Everything else under src/ is internal: the package's `exports` map lets users
// import only this entry point.
export { DefaultRedisFactory } from './build';
export { RedisCache } from './cache';
export { RedisLock, LockAcquireOptions, LockLease, LeaseLossReason } from './lock';

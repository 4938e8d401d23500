/** @module lock */
export { RedisLock, LockAcquireOptions } from './RedisLock';
export { LockLease, LeaseLossReason } from './LockLease';

/** @module lock */
export { RedisLock, LockAcquireOptions } from './RedisLock';
export { LockLease, LeaseLossReason, LeaseOwner, LeaseRenewal } from './LockLease';
export { LockKeys } from './LockKeys';
export { ReleaseNotifier } from './ReleaseNotifier';
export { ReleaseWaiter, WaitOutcome } from './ReleaseWaiter';

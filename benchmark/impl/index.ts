import { floorFifo } from './fifoFloor';
import { floorIORedis, floorNodeRedis, floorNodeRedisWithoutTimer } from './floor';
import { ImplSpec } from './LockAdapter';
import { oursDefault, oursLease, oursObserved, oursPolling } from './ours';
import { redlock } from './redlock';
import { redlockUniversal } from './redlockUniversal';
import { semaphore } from './semaphore';

export * from './LockAdapter';

/** Every implementation, in table order. */
export const IMPLS: ImplSpec[] = [oursDefault, oursLease, oursObserved, oursPolling, redlockUniversal, redlock, semaphore, floorNodeRedis, floorNodeRedisWithoutTimer, floorIORedis, floorFifo];

export function impl(id: string): ImplSpec {
    const found = IMPLS.find(i => i.id == id);
    if (found == null) throw new Error('Unknown implementation ' + id);
    return found;
}

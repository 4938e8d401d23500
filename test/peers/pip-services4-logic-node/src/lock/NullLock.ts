import { IContext } from 'pip-services4-components-node';

import { ILock } from './ILock';

/**
 * Test stand-in for pip-services4-logic-node `NullLock` (contract §3.3): always succeeds.
 */
export class NullLock implements ILock {
    public async tryAcquireLock(context: IContext | null, key: string, ttl: number): Promise<boolean> {
        return true;
    }

    public async acquireLock(context: IContext | null, key: string, ttl: number, timeout: number): Promise<void> {
        // no-op
    }

    public async releaseLock(context: IContext | null, key: string): Promise<void> {
        // no-op
    }
}

import { IContext } from 'pip-services4-components-node';

import { ILock } from './ILock';

/**
 * Test stand-in for pip-services4-logic-node `NullLock` (contract §3.3): always succeeds.
 */
export class NullLock implements ILock {
    public async tryAcquireLock(context: IContext | null, _key: string, _ttl: number): Promise<boolean> {
        return true;
    }

    public async acquireLock(context: IContext | null, _key: string, _ttl: number, _timeout: number): Promise<void> {
        // no-op
    }

    public async releaseLock(context: IContext | null, _key: string): Promise<void> {
        // no-op
    }
}

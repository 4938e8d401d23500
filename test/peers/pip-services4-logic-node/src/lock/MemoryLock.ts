import { IContext } from 'pip-services4-components-node';

import { Lock } from './Lock';

/**
 * Test stand-in for pip-services4-logic-node `MemoryLock` (contract §3.3):
 * per-key expiry times, no owner, not re-entrant.
 */
export class MemoryLock extends Lock {
    private readonly _locks = new Map<string, number>();

    /** Succeeds when the key is free or its expiry is strictly before now. */
    public async tryAcquireLock(context: IContext | null, key: string, ttl: number): Promise<boolean> {
        const expireTime = this._locks.get(key);
        const now = Date.now();
        if (expireTime == null || expireTime < now) {
            this._locks.set(key, now + ttl);
            return true;
        }
        return false;
    }

    /** Releases whoever holds the key; a free key is fine. */
    public async releaseLock(context: IContext | null, key: string): Promise<void> {
        this._locks.delete(key);
    }
}

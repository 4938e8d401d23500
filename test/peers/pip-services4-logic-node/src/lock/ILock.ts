import { IContext } from 'pip-services4-components-node';

/**
 * Test stand-in for pip-services4-logic-node `ILock` (contract §3.1). Times in milliseconds.
 */
export interface ILock {
    tryAcquireLock(context: IContext | null, key: string, ttl: number): Promise<boolean>;
    acquireLock(context: IContext | null, key: string, ttl: number, timeout: number): Promise<void>;
    releaseLock(context: IContext | null, key: string): Promise<void>;
}

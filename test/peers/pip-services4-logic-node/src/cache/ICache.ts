import { IContext } from 'pip-services4-components-node';

/**
 * Test stand-in for pip-services4-logic-node `ICache` (contract §3.4). Timeouts in milliseconds.
 */
export interface ICache {
    retrieve(context: IContext | null, key: string): Promise<any>;
    store(context: IContext | null, key: string, value: any, timeout: number): Promise<any>;
    remove(context: IContext | null, key: string): Promise<void>;
}

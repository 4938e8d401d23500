import { IContext } from 'pip-services4-components-node';

import { ICache } from './ICache';

/**
 * Test stand-in for pip-services4-logic-node `NullCache` (contract §3.6): stores nothing.
 */
export class NullCache implements ICache {
    public async retrieve(context: IContext | null, _key: string): Promise<any> {
        return null;
    }

    public async store(context: IContext | null, _key: string, value: any, _timeout: number): Promise<any> {
        return value;
    }

    public async remove(context: IContext | null, _key: string): Promise<any> {
        return null;
    }
}

import { IContext } from 'pip-services4-components-node';

import { ConnectionParams } from './ConnectionParams';

/**
 * Test stand-in for pip-services4-config-node `IDiscovery` (contract §2.2).
 */
export interface IDiscovery {
    register(context: IContext | null, key: string, connection: ConnectionParams): Promise<ConnectionParams>;
    resolveOne(context: IContext | null, key: string): Promise<ConnectionParams>;
    resolveAll(context: IContext | null, key: string): Promise<ConnectionParams[]>;
}

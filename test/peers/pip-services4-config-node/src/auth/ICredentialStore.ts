import { IContext } from 'pip-services4-components-node';

import { CredentialParams } from './CredentialParams';

/**
 * Test stand-in for pip-services4-config-node `ICredentialStore` (contract §2.6).
 */
export interface ICredentialStore {
    store(context: IContext | null, key: string, credential: CredentialParams | null): Promise<void>;
    lookup(context: IContext | null, key: string): Promise<CredentialParams>;
}

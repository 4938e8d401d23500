import {
    ConfigParams, Descriptor, IContext, IReferences, ReferenceException
} from 'pip-services4-components-node';

import { CredentialParams } from './CredentialParams';
import { ICredentialStore } from './ICredentialStore';

/**
 * Test stand-in for pip-services4-config-node `CredentialResolver` (contract §2.8).
 */
export class CredentialResolver {
    private readonly _credentials: CredentialParams[] = [];
    private _references: IReferences | null = null;

    public constructor(config: ConfigParams | null = null, references: IReferences | null = null) {
        if (config != null) {
            this.configure(config);
        }
        if (references != null) {
            this.setReferences(references);
        }
    }

    /** Appends `CredentialParams.manyFromConfig(config)`. */
    public configure(config: ConfigParams): void {
        const credentials = CredentialParams.manyFromConfig(config);
        this._credentials.push(...credentials);
    }

    public setReferences(references: IReferences): void {
        this._references = references;
    }

    public getAll(): CredentialParams[] {
        return this._credentials;
    }

    public add(credential: CredentialParams): void {
        this._credentials.push(credential);
    }

    private async lookupInStores(context: IContext | null,
        credential: CredentialParams): Promise<CredentialParams | null> {
        if (!credential.useCredentialStore() || this._references == null) {
            return null;
        }
        const key = credential.getStoreKey();
        const descriptor = new Descriptor('*', 'credential-store', '*', '*', '*');
        const stores = this._references.getOptional<ICredentialStore>(descriptor);
        if (stores.length == 0) {
            throw new ReferenceException(context, descriptor);
        }
        for (const store of stores) {
            const result = await store.lookup(context, key);
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /**
     * First credential without `store_key`, at once; otherwise the first store result, as is
     * (not merged with the configured credential); null when none.
     */
    public async lookup(context: IContext | null): Promise<CredentialParams> {
        const toLookup: CredentialParams[] = [];
        for (const credential of this._credentials) {
            if (!credential.useCredentialStore()) {
                return credential;
            }
            toLookup.push(credential);
        }
        for (const credential of toLookup) {
            const result = await this.lookupInStores(context, credential);
            if (result != null) {
                return result;
            }
        }
        return null as any;
    }
}

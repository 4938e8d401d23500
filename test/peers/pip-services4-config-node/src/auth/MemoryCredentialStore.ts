import { ConfigParams, IContext, IReconfigurable } from 'pip-services4-components-node';

import { CredentialParams } from './CredentialParams';
import { ICredentialStore } from './ICredentialStore';

/**
 * Test stand-in for pip-services4-config-node `MemoryCredentialStore` (contract §2.7).
 * Configured sections are kept in their string form; `lookup` of an unknown key resolves
 * to `undefined`.
 */
export class MemoryCredentialStore implements ICredentialStore, IReconfigurable {
    private readonly _items = new Map<string, any>();

    public constructor(config: ConfigParams | null = null) {
        if (config != null) {
            this.configure(config);
        }
    }

    public configure(config: ConfigParams): void {
        this.readCredentials(config);
    }

    /** Clears; each top-level section is saved under its name as `k=v;k2=v2`. */
    public readCredentials(config: ConfigParams): void {
        this._items.clear();
        for (const key of config.getSectionNames()) {
            this._items.set(key, config.getSection(key).toString());
        }
    }

    /** Saves the object as is; null deletes. */
    public async store(context: IContext | null, key: string, credential: CredentialParams | null): Promise<void> {
        if (credential != null) {
            this._items.set(key, credential);
        } else {
            this._items.delete(key);
        }
    }

    public async lookup(context: IContext | null, key: string): Promise<CredentialParams> {
        const value = this._items.get(key);
        if (typeof value === 'string') {
            return CredentialParams.fromString(value);
        }
        return value;
    }
}

import { ConfigParams, IContext, IReconfigurable } from 'pip-services4-components-node';

import { ConnectionParams } from './ConnectionParams';
import { IDiscovery } from './IDiscovery';

interface DiscoveryItem {
    key: string;
    connection: ConnectionParams;
}

/**
 * Test stand-in for pip-services4-config-node `MemoryDiscovery` (contract §2.3).
 * `configure` is a no-op; only the constructor (via `readConnections`) loads connections.
 */
export class MemoryDiscovery implements IDiscovery, IReconfigurable {
    private _items: DiscoveryItem[] = [];

    public constructor(config: ConfigParams | null = null) {
        if (config != null) {
            this.readConnections(config);
        }
    }

    /** Deliberately does nothing (as in the real 0.0.6 package). */
    public configure(_config: ConfigParams): void {
        // no-op
    }

    /** Clears; each top-level section becomes a key with one connection. */
    public readConnections(config: ConfigParams): void {
        this._items = [];
        for (const key of config.getSectionNames()) {
            this._items.push({ key: key, connection: new ConnectionParams(config.getSection(key)) });
        }
    }

    public async register(context: IContext | null, key: string,
        connection: ConnectionParams): Promise<ConnectionParams> {
        this._items.push({ key: key, connection: new ConnectionParams(connection) });
        return connection;
    }

    public async resolveOne(context: IContext | null, key: string): Promise<ConnectionParams> {
        for (const item of this._items) {
            if (item.key == key) {
                return item.connection;
            }
        }
        return null as any;
    }

    public async resolveAll(context: IContext | null, key: string): Promise<ConnectionParams[]> {
        return this._items.filter((item) => item.key == key).map((item) => item.connection);
    }
}

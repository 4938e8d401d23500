import {
    ConfigParams, Descriptor, IContext, IReferences, ReferenceException
} from 'pip-services4-components-node';

import { ConnectionParams } from './ConnectionParams';
import { IDiscovery } from './IDiscovery';

/**
 * Test stand-in for pip-services4-config-node `ConnectionResolver` (contract §2.4).
 */
export class ConnectionResolver {
    private readonly _connections: ConnectionParams[] = [];
    private _references: IReferences | null = null;

    public constructor(config: ConfigParams | null = null, references: IReferences | null = null) {
        if (config != null) {
            this.configure(config);
        }
        if (references != null) {
            this.setReferences(references);
        }
    }

    /** Appends `ConnectionParams.manyFromConfig(config)`. */
    public configure(config: ConfigParams): void {
        const connections = ConnectionParams.manyFromConfig(config);
        this._connections.push(...connections);
    }

    public setReferences(references: IReferences): void {
        this._references = references;
    }

    /** The live list. */
    public getAll(): ConnectionParams[] {
        return this._connections;
    }

    public add(connection: ConnectionParams): void {
        this._connections.push(connection);
    }

    private getDiscoveries(context: IContext | null): IDiscovery[] {
        const descriptor = new Descriptor('*', 'discovery', '*', '*', '*');
        const discoveries = this._references!.getOptional<IDiscovery>(descriptor);
        if (discoveries.length == 0) {
            throw new ReferenceException(context, descriptor);
        }
        return discoveries;
    }

    private async resolveInDiscovery(context: IContext | null,
        connection: ConnectionParams): Promise<ConnectionParams | null> {
        if (!connection.useDiscovery() || this._references == null) {
            return null;
        }
        const key = connection.getDiscoveryKey();
        for (const discovery of this.getDiscoveries(context)) {
            const result = await discovery.resolveOne(context, key);
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /**
     * First connection without a discovery key, at once; otherwise the last discovery-resolved
     * connection merged over its configured one; null when none.
     */
    public async resolve(context: IContext | null): Promise<ConnectionParams> {
        const toResolve: ConnectionParams[] = [];
        for (const connection of this._connections) {
            if (!connection.useDiscovery()) {
                return connection;
            }
            toResolve.push(connection);
        }

        let resolved: ConnectionParams | null = null;
        for (const connection of toResolve) {
            const result = await this.resolveInDiscovery(context, connection);
            if (result != null) {
                resolved = new ConnectionParams(ConfigParams.mergeConfigs(connection, result));
            }
        }
        return resolved as ConnectionParams;
    }

    private async resolveAllInDiscovery(context: IContext | null,
        connection: ConnectionParams): Promise<ConnectionParams[]> {
        const result: ConnectionParams[] = [];
        if (!connection.useDiscovery() || this._references == null) {
            return result;
        }
        const key = connection.getDiscoveryKey();
        for (const discovery of this.getDiscoveries(context)) {
            const partial = await discovery.resolveAll(context, key);
            if (partial != null) {
                result.push(...partial);
            }
        }
        return result;
    }

    /** Non-discovery connections first, then all discovered ones merged over their configured ones. */
    public async resolveAll(context: IContext | null): Promise<ConnectionParams[]> {
        const resolved: ConnectionParams[] = [];
        const toResolve: ConnectionParams[] = [];
        for (const connection of this._connections) {
            if (connection.useDiscovery()) {
                toResolve.push(connection);
            } else {
                resolved.push(connection);
            }
        }
        for (const connection of toResolve) {
            const results = await this.resolveAllInDiscovery(context, connection);
            for (const result of results) {
                resolved.push(new ConnectionParams(ConfigParams.mergeConfigs(connection, result)));
            }
        }
        return resolved;
    }

    /** Only with a discovery key and references set: registers with every discovery, then appends. */
    public async register(context: IContext | null, connection: ConnectionParams): Promise<void> {
        if (!connection.useDiscovery() || this._references == null) {
            return;
        }
        const key = connection.getDiscoveryKey();
        const discoveries = this._references.getOptional<IDiscovery>(
            new Descriptor('*', 'discovery', '*', '*', '*'));
        for (const discovery of discoveries) {
            await discovery.register(context, key, connection);
        }
        this._connections.push(connection);
    }
}

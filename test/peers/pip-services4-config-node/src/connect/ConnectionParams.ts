import { StringValueMap } from 'pip-services4-commons-node';
import { ConfigParams } from 'pip-services4-components-node';

/**
 * Test stand-in for pip-services4-config-node `ConnectionParams` (contract §2.1).
 */
export class ConnectionParams extends ConfigParams {
    public constructor(values: any = null) {
        super(values);
    }

    /** True when a non-empty `discovery_key` is set. */
    public useDiscovery(): boolean {
        return this.getAsNullableString('discovery_key') != null;
    }

    public getDiscoveryKey(): string {
        return this.getAsNullableString('discovery_key');
    }

    public setDiscoveryKey(value: string): void {
        this.put('discovery_key', value);
    }

    public getProtocol(): string {
        return this.getAsNullableString('protocol');
    }

    public getProtocolWithDefault(defaultValue: string): string {
        return this.getAsStringWithDefault('protocol', defaultValue);
    }

    public setProtocol(value: string): void {
        this.put('protocol', value);
    }

    /** `host`, else `ip`, else null. */
    public getHost(): string {
        return this.getAsNullableString('host') || this.getAsNullableString('ip');
    }

    public setHost(value: string): void {
        this.put('host', value);
    }

    /** 0 when absent or unparsable. */
    public getPort(): number {
        return this.getAsInteger('port');
    }

    public getPortWithDefault(defaultPort: number): number {
        return this.getAsIntegerWithDefault('port', defaultPort);
    }

    public setPort(value: number): void {
        this.put('port', value);
    }

    public getUri(): string {
        return this.getAsNullableString('uri');
    }

    public setUri(value: string): void {
        this.put('uri', value);
    }

    public static fromString(line: string): ConnectionParams {
        return new ConnectionParams(StringValueMap.fromString(line));
    }

    public static fromTuples(...tuples: any[]): ConnectionParams {
        return new ConnectionParams(StringValueMap.fromTuplesArray(tuples));
    }

    /**
     * One connection per `connections.<name>` sub-section, else one from `connection`,
     * else none. Root-level host/port/uri are never read.
     */
    public static manyFromConfig(config: ConfigParams): ConnectionParams[] {
        const result: ConnectionParams[] = [];
        const connections = config.getSection('connections');
        if (connections.length() > 0) {
            for (const name of connections.getSectionNames()) {
                result.push(new ConnectionParams(connections.getSection(name)));
            }
        } else {
            const connection = config.getSection('connection');
            if (connection.length() > 0) {
                result.push(new ConnectionParams(connection));
            }
        }
        return result;
    }

    /** First of `manyFromConfig`, or null. */
    public static fromConfig(config: ConfigParams): ConnectionParams {
        const connections = ConnectionParams.manyFromConfig(config);
        return connections.length > 0 ? connections[0] : null as any;
    }
}

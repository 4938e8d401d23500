/** @module connect */
import { ConfigException } from 'pip-services4-commons-node';
import { ConfigParams, IContext, IReferences, IReferenceable, IConfigurable } from 'pip-services4-components-node';
import {
    ConnectionParams,
    ConnectionResolver,
    CredentialParams,
    CredentialResolver
} from 'pip-services4-config-node';

import { TraceId } from './TraceId';

/**
 * Where and as whom to connect: the result of resolving a component's connection and credential.
 * It holds the password, so never log or serialize it; use `endpoint` in messages.
 */
export interface RedisEndpoint {
    /** Host name or IP address. */
    host: string;
    /** TCP port. */
    port: number;
    /** Logical database number (SELECT); 0 by default. */
    database: number;
    /** True for `rediss://` or `protocol: rediss`. */
    tls: boolean;
    /** ACL user name, if any. */
    username?: string;
    /** Password, if any. */
    password?: string;
    /** `host:port/database`, safe to show: never contains credentials. */
    endpoint: string;
}

const ROOT_CONNECTION_KEYS = ['host', 'ip', 'port', 'uri', 'protocol', 'database', 'discovery_key'];
const ROOT_CREDENTIAL_KEYS = ['username', 'user', 'password', 'pass', 'store_key'];

/**
 * Resolves a Redis endpoint from pip-services configuration: a `connection(s)` section (or a
 * connection found through an IDiscovery `discovery_key`) and a `credential(s)` section (or one
 * found through an ICredentialStore `store_key`).
 *
 * When the configuration has no `connection(s)` section, root-level `host`, `ip`, `port`, `uri`,
 * `protocol`, `database` and `discovery_key` are read instead, so the documented example
 * `ConfigParams.fromTuples("host", "localhost", "port", 6379)` works. Root-level `username`,
 * `password` and `store_key` are read likewise when there is no `credential(s)` section.
 *
 * ### Configuration parameters ###
 * - connection(s):
 *   - discovery_key:  (optional) key to retrieve the connection from IDiscovery
 *   - host:           host name or IP address (default: localhost)
 *   - port:           port number (default: 6379)
 *   - uri:            `redis://[user[:password]@]host[:port][/database]` or `rediss://…` for TLS
 *   - protocol:       `redis` (default) or `rediss` (TLS)
 *   - database:       database number (default: 0)
 * - credential(s):
 *   - store_key:      (optional) key to retrieve the credential from ICredentialStore
 *   - username:       ACL user name (Redis 6+)
 *   - password:       password of the user (or the `requirepass` password without a user)
 *
 * ### References ###
 * - `*:discovery:*:*:1.0`         (optional) IDiscovery services to resolve the connection
 * - `*:credential-store:*:*:1.0`  (optional) credential stores to resolve the credential
 *
 * @example
 * ```typescript
 * const resolver = new RedisConnectionResolver();
 * resolver.configure(ConfigParams.fromTuples("connection.uri", "redis://localhost:6379/0"));
 * const endpoint = await resolver.resolve(null);   // { host: "localhost", port: 6379, database: 0, ... }
 * ```
 */
export class RedisConnectionResolver implements IConfigurable, IReferenceable {
    private readonly _connectionResolver = new ConnectionResolver();
    private readonly _credentialResolver = new CredentialResolver();

    /**
     * Configures the resolver.
     *
     * @param config    configuration parameters to be set.
     */
    public configure(config: ConfigParams): void {
        this._connectionResolver.configure(config);
        this._credentialResolver.configure(config);

        if (ConnectionParams.manyFromConfig(config).length == 0) {
            const root = RedisConnectionResolver.pick(config, ROOT_CONNECTION_KEYS);
            if (root.length() > 0) this._connectionResolver.add(new ConnectionParams(root));
        }
        if (CredentialParams.manyFromConfig(config).length == 0) {
            const root = RedisConnectionResolver.pick(config, ROOT_CREDENTIAL_KEYS);
            if (root.length() > 0) this._credentialResolver.add(new CredentialParams(root));
        }
    }

    /**
     * Sets references to discovery services and credential stores.
     *
     * @param references    references to locate the dependencies.
     */
    public setReferences(references: IReferences): void {
        this._connectionResolver.setReferences(references);
        this._credentialResolver.setReferences(references);
    }

    /**
     * Resolves the endpoint, asking discovery services and credential stores where configured.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @returns the endpoint to connect to.
     * @throws ConfigException NO_CONNECTION when nothing is configured, INVALID_URI,
     *         UNSUPPORTED_PROTOCOL, INVALID_PORT or INVALID_DATABASE for bad values.
     */
    public async resolve(context: IContext): Promise<RedisEndpoint> {
        const traceId = TraceId.of(context);
        const connection = await this._connectionResolver.resolve(context);
        if (connection == null) {
            throw new ConfigException(traceId, 'NO_CONNECTION', 'Connection is not configured');
        }
        const credential = await this._credentialResolver.lookup(context);
        return RedisConnectionResolver.toEndpoint(traceId, connection, credential);
    }

    private static toEndpoint(traceId: string, connection: ConnectionParams,
        credential: CredentialParams): RedisEndpoint {
        let host = connection.getHost() ?? 'localhost';
        let port = RedisConnectionResolver.readPort(traceId, connection.get('port'));
        let database = RedisConnectionResolver.readDatabase(traceId, connection.get('database'));
        let tls = RedisConnectionResolver.readTls(traceId, connection.getProtocol());
        let username: string | undefined;
        let password: string | undefined;

        const uri = connection.getUri();
        if (uri != null) {
            const parsed = RedisConnectionResolver.parseUri(traceId, uri);
            host = parsed.host;
            port = parsed.port ?? port;
            database = parsed.database ?? database;
            tls = parsed.tls;
            username = parsed.username;
            password = parsed.password;
        }

        if (credential != null) {
            username = credential.getUsername() ?? username;
            password = credential.getPassword() ?? password;
        }

        return {
            host, port, database, tls, username, password,
            endpoint: host + ':' + port + (database ? '/' + database : '')
        };
    }

    private static readPort(traceId: string, value: any): number {
        if (value == null) return 6379;
        const port = Number(value);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new ConfigException(traceId, 'INVALID_PORT', 'Redis port must be an integer from 1 to 65535')
                .withDetails('port', value);
        }
        return port;
    }

    private static readDatabase(traceId: string, value: any): number {
        if (value == null) return 0;
        const database = Number(value);
        if (!Number.isInteger(database) || database < 0) {
            throw new ConfigException(traceId, 'INVALID_DATABASE', 'Redis database must be a non-negative integer')
                .withDetails('database', value);
        }
        return database;
    }

    private static readTls(traceId: string, protocol: string): boolean {
        if (protocol == null || protocol == 'redis') return false;
        if (protocol == 'rediss') return true;
        throw new ConfigException(traceId, 'UNSUPPORTED_PROTOCOL', 'Redis protocol must be redis or rediss')
            .withDetails('protocol', protocol);
    }

    private static parseUri(traceId: string, uri: string): {
        host: string, port?: number, database?: number, tls: boolean, username?: string, password?: string
    } {
        let url: URL;
        try {
            url = new URL(uri);
        } catch {
            throw new ConfigException(traceId, 'INVALID_URI', 'Redis uri is not a valid URI')
                .withDetails('uri', RedisConnectionResolver.redactUri(uri));
        }
        const protocol = url.protocol.replace(/:$/, '');
        const tls = RedisConnectionResolver.readTls(traceId, protocol);
        if (url.hostname == '') {
            throw new ConfigException(traceId, 'INVALID_URI', 'Redis uri has no host')
                .withDetails('uri', RedisConnectionResolver.redactUri(uri));
        }
        const path = url.pathname.replace(/^\//, '');
        return {
            host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port != '' ? RedisConnectionResolver.readPort(traceId, url.port) : undefined,
            database: path != '' ? RedisConnectionResolver.readDatabase(traceId, path) : undefined,
            tls,
            username: url.username != '' ? decodeURIComponent(url.username) : undefined,
            password: url.password != '' ? decodeURIComponent(url.password) : undefined
        };
    }

    /**
     * Hides the password in a URI, for messages and details.
     *
     * @param uri   a URI that may carry credentials.
     * @returns the URI with any password replaced by `***`.
     */
    public static redactUri(uri: string): string {
        return String(uri).replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
    }

    private static pick(config: ConfigParams, keys: string[]): ConfigParams {
        const result = new ConfigParams();
        for (const key of keys) {
            const value = config.getAsNullableString(key);
            if (value != null) result.put(key, value);
        }
        return result;
    }
}

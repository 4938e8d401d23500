/** @module connect */
import { ConnectionOptions } from 'tls';
import { ConfigException } from 'pip-services4-commons-node';
import { ConfigParams, IContext, IReferences, IReferenceable, IConfigurable } from 'pip-services4-components-node';
import {
    ConnectionParams,
    ConnectionResolver,
    CredentialParams,
    CredentialResolver
} from 'pip-services4-config-node';

import { RedisOptions } from './RedisOptions';
import { RedisTlsSettings } from './RedisTlsSettings';
import { TraceId } from './TraceId';

/** How the configured Redis is deployed: one server, a Redis Cluster, or a master watched by Sentinels. */
export type RedisTopology = 'standalone' | 'cluster' | 'sentinel';

/** One configured node: the server (standalone), a seed node (cluster) or a sentinel. */
export interface RedisNode {
    /** Host name or IP address. */
    host: string;
    /** TCP port. */
    port: number;
}

/**
 * Where and as whom to connect: the result of resolving a component's connection(s) and credential.
 * It holds the password and the TLS private key, so never log or serialize it; use `endpoint` in
 * messages.
 */
export interface RedisEndpoint {
    /** How the Redis is deployed (`options.cluster`, `options.sentinel_name`). */
    topology: RedisTopology;
    /** The configured nodes, in order: one server, the cluster's seed nodes, or the sentinels. */
    nodes: RedisNode[];
    /** The master name the sentinels know (topology `sentinel` only). */
    sentinelName?: string;
    /** Host name or IP address of the first node. */
    host: string;
    /** TCP port of the first node. */
    port: number;
    /** Logical database number (SELECT); 0 by default. */
    database: number;
    /** True for `rediss://` or `protocol: rediss`. */
    tls: boolean;
    /** ACL user name, if any. */
    username?: string;
    /** Password, if any. */
    password?: string;
    /**
     * When `tls` is true: options for Node's `tls.connect` (`ca`, `cert`, `key` with the PEM files'
     * contents, `rejectUnauthorized`, `servername`); only what the configuration sets.
     */
    tlsOptions?: ConnectionOptions;
    /**
     * Safe to show, never contains credentials: `host:port[/database]`; `cluster host:port,...` for a
     * cluster's seed nodes; `sentinel <name> at host:port,...[/database]` for sentinels.
     */
    endpoint: string;
}

const ROOT_CONNECTION_KEYS = ['host', 'ip', 'port', 'uri', 'protocol', 'database', 'discovery_key'];
const ROOT_CREDENTIAL_KEYS = ['username', 'user', 'password', 'pass', 'store_key', 'ssl_ca_file', 'ssl_crt_file',
    'ssl_key_file'];

// What a userinfo (everything before the last '@') must not hold raw: '/', '?', '#' and '\\' end the
// authority for URI parsers, so a password holding them would move the host or the path; a '%'
// must start a valid escape. A raw '@' or ':' is unambiguous here (the last '@' and the first
// ':' separate), so they stay accepted, as URL parsers accept them.
const USERINFO_FORBIDDEN = /[/?#\\\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// The port of `host[:port][/path]`, with an IPv6 host in brackets.
const AUTHORITY_PORT = /^(?:\[[^\]]*\]|[^:/?#]*):([^/?#]*)/;

/**
 * Resolves a Redis endpoint from pip-services configuration: a `connection(s)` section (or a
 * connection found through an IDiscovery `discovery_key`) and a `credential(s)` section (or one
 * found through an ICredentialStore `store_key`).
 *
 * Topology: one connection is one Redis server. With `options.cluster` the connections are seed
 * nodes of a Redis Cluster; with `options.sentinel_name` they are Sentinels monitoring that
 * master. Credentials, TLS files and options then apply to every node (and to the Sentinels), so
 * the connections must agree on protocol, database and credentials.
 *
 * When the configuration has no `connection(s)` section, root-level `host`, `ip`, `port`, `uri`,
 * `protocol`, `database` and `discovery_key` are read instead, so the documented example
 * `ConfigParams.fromTuples("host", "localhost", "port", 6379)` works. Root-level `username`,
 * `password`, `store_key` and the `ssl_*_file` keys are read likewise when there is no
 * `credential(s)` section.
 *
 * Secrets stay secret: a user name or password written in a URI must be percent-encoded
 * (`encodeURIComponent`), since a raw `/`, `?`, `#` or `\` would move the host or the path; such a
 * URI is refused with `INVALID_URI`. Error details show a URI with everything before its last `@`
 * replaced by `***`, and never a credential or a TLS file's contents.
 *
 * ### Configuration parameters ###
 * - connection(s):
 *   - discovery_key:  (optional) key to retrieve the connection from IDiscovery
 *   - host:           host name or IP address (default: localhost)
 *   - port:           port number (default: 6379)
 *   - uri:            `redis://[user[:password]@]host[:port][/database]` or `rediss://…` for TLS;
 *                     user and password percent-encoded
 *   - protocol:       `redis` (default) or `rediss` (TLS)
 *   - database:       database number (default: 0)
 * - credential(s):
 *   - store_key:      (optional) key to retrieve the credential from ICredentialStore
 *   - username:       ACL user name (Redis 6+)
 *   - password:       password of the user (or the `requirepass` password without a user)
 *   - ssl_ca_file:    (optional) PEM file of the CA certificate(s) to trust instead of Node's default CAs
 *   - ssl_crt_file:   (optional) PEM file of the client certificate, for mutual TLS
 *   - ssl_key_file:   (optional) PEM file of the client private key, for mutual TLS
 * - options:
 *   - cluster:        true for a Redis Cluster: the connections are seed nodes, the others are
 *                     discovered (default: false)
 *   - sentinel_name:  the master name the Sentinels monitor: the connections are Sentinels, and the
 *                     client follows their master through failovers (default: none)
 *   - ssl_reject_unauthorized:  false to accept a server certificate that does not verify (default: true)
 *   - ssl_servername:           host name for SNI and for verifying the server certificate
 *                               (default: the connection's host)
 *
 * The `ssl_*` settings need TLS switched on (`rediss://` or `protocol: rediss`); on a plaintext
 * connection they are refused with `TLS_NOT_ENABLED`. The PEM files are read at every `resolve()`.
 *
 * ### References ###
 * - `*:discovery:*:*:1.0`         (optional) IDiscovery services to resolve the connection
 * - `*:credential-store:*:*:1.0`  (optional) credential stores to resolve the credential
 *
 * @example
 * ```typescript
 * const resolver = new RedisConnectionResolver();
 * resolver.configure(ConfigParams.fromTuples(
 *   "connection.uri", "rediss://redis.internal:6380/0",
 *   "credential.ssl_ca_file", "/etc/redis/ca.crt"
 * ));
 * const endpoint = await resolver.resolve(null);   // { host: "redis.internal", port: 6380, tls: true, ... }
 * ```
 */
export class RedisConnectionResolver implements IConfigurable, IReferenceable {
    private readonly _connectionResolver = new ConnectionResolver();
    private readonly _credentialResolver = new CredentialResolver();
    private _tls = RedisTlsSettings.fromConfig(new ConfigParams());
    private _topology: RedisTopology = 'standalone';
    private _sentinelName: string | undefined;

    /**
     * Configures the resolver.
     *
     * @param config    configuration parameters to be set.
     * @throws ConfigException INVALID_OPTION for a bad `options.ssl_*`, `options.cluster` or
     *         `options.sentinel_name` value; TOPOLOGY_CONFLICT when both of the latter are set.
     */
    public configure(config: ConfigParams): void {
        this._tls = RedisTlsSettings.fromConfig(config);
        const options = config.getSection('options');
        const cluster = RedisOptions.readBoolean(options, 'cluster') ?? false;
        this._sentinelName = RedisOptions.readText(options, 'sentinel_name');
        this._topology = cluster ? 'cluster' : this._sentinelName != null ? 'sentinel' : 'standalone';
        if (cluster && this._sentinelName != null) {
            throw new ConfigException(null as any, 'TOPOLOGY_CONFLICT',
                'Redis options cluster and sentinel_name exclude each other: a Redis Cluster has no Sentinels')
                .withDetails('sentinel_name', this._sentinelName);
        }
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
     * How the configured Redis is deployed (`options.cluster`, `options.sentinel_name`), known
     * from the configuration alone.
     *
     * @returns the topology; `standalone` before configure.
     */
    public getTopology(): RedisTopology {
        return this._topology;
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
     * Resolves the endpoint, asking discovery services and credential stores where configured,
     * and reads the TLS files the credential names.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @returns the endpoint to connect to.
     * @throws ConfigException NO_CONNECTION when nothing is configured; MANY_CONNECTIONS for several
     *         connections without `options.cluster` or `options.sentinel_name`; INCONSISTENT_CONNECTIONS
     *         when they differ in protocol, database or credentials; INVALID_URI,
     *         UNSUPPORTED_PROTOCOL, INVALID_PORT or INVALID_DATABASE for bad values; TLS_NOT_ENABLED
     *         for TLS settings on a plaintext connection; INVALID_SSL_FILE for a TLS file that
     *         cannot be read or holds no usable PEM certificate or key.
     */
    public async resolve(context: IContext): Promise<RedisEndpoint> {
        const traceId = TraceId.of(context);
        const connections = await this._connectionResolver.resolveAll(context);
        if (connections.length == 0) {
            throw new ConfigException(traceId, 'NO_CONNECTION', 'Connection is not configured');
        }
        const topology = this._topology;
        if (topology == 'standalone' && connections.length > 1) {
            throw new ConfigException(traceId, 'MANY_CONNECTIONS', 'Several Redis connections need options.cluster '
                + '(seed nodes of a Redis Cluster) or options.sentinel_name (Sentinels); one server takes one connection')
                .withDetails('connections', connections.length);
        }
        const credential = await this._credentialResolver.lookup(context);
        const stored = this._credentialResolver.getAll().find(c => c.useCredentialStore());
        if (credential == null && stored != null) {
            throw new ConfigException(traceId, 'NO_CREDENTIAL', 'No credential store knows the configured store_key')
                .withDetails('store_key', stored.getStoreKey());
        }
        const nodes = connections.map(connection => RedisConnectionResolver.toEndpoint(traceId, connection, credential));
        const endpoint = RedisConnectionResolver.combine(traceId, topology, nodes, this._sentinelName);
        const tlsOptions = await this._tls.resolve(traceId, credential, endpoint.tls);
        if (tlsOptions != null) endpoint.tlsOptions = tlsOptions;
        return endpoint;
    }

    // One endpoint for all the nodes: they must agree on TLS, database and credentials, since one
    // client configuration reaches every node (a cluster discovers its other nodes itself).
    private static combine(traceId: string, topology: RedisTopology, nodes: RedisEndpoint[],
        sentinelName: string | undefined): RedisEndpoint {
        const first = nodes[0];
        nodes.forEach((node, index) => {
            const differs = node.tls != first.tls ? 'protocol' : node.database != first.database ? 'database'
                : node.username != first.username || node.password != first.password ? 'credentials' : null;
            if (differs != null) {
                throw new ConfigException(traceId, 'INCONSISTENT_CONNECTIONS', 'Redis connections must agree on '
                    + differs + ': one setting applies to every node').withDetails('connection', index)
                    .withDetails('endpoint', node.endpoint);
            }
        });
        if (topology == 'cluster' && first.database != 0) {
            throw new ConfigException(traceId, 'INVALID_DATABASE', 'A Redis Cluster has only database 0')
                .withDetails('database', first.database);
        }
        const list = nodes.map(node => node.host + ':' + node.port).join(',');
        const database = first.database ? '/' + first.database : '';
        return {
            ...first, topology, sentinelName,
            nodes: nodes.map(node => ({ host: node.host, port: node.port })),
            endpoint: topology == 'cluster' ? 'cluster ' + list
                : topology == 'sentinel' ? 'sentinel ' + sentinelName + ' at ' + list + database
                    : first.endpoint
        };
    }

    private static toEndpoint(traceId: string, connection: ConnectionParams,
        credential: CredentialParams): RedisEndpoint {
        // An explicitly empty value (an unset substitution variable) is refused, never read as absent.
        const raw = (name: string) => RedisOptions.textOf(connection, name);
        let host = raw('host') ?? raw('ip') ?? 'localhost';
        if (host == '') {
            throw new ConfigException(traceId, 'INVALID_HOST', 'Redis host must not be empty').withDetails('host', '');
        }
        let port = RedisConnectionResolver.readPort(traceId, raw('port'));
        let database = RedisConnectionResolver.readDatabase(traceId, raw('database'));
        let tls = RedisConnectionResolver.readTls(traceId, raw('protocol'));
        let username: string | undefined;
        let password: string | undefined;

        const uri = raw('uri');
        if (uri == '') {
            throw new ConfigException(traceId, 'INVALID_URI', 'Redis uri must not be empty').withDetails('uri', '');
        }
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
        if (username != null && password == null) {
            // node-redis would send no AUTH at all, and the connection would run as the default user.
            throw new ConfigException(traceId, 'MISSING_PASSWORD',
                'A Redis user name needs a password (any password for a nopass user)').withDetails('username', username);
        }

        return {
            topology: 'standalone', nodes: [{ host, port }],
            host, port, database, tls, username, password,
            endpoint: host + ':' + port + (database ? '/' + database : '')
        };
    }

    private static readPort(traceId: string, value: any): number {
        if (value == null) return 6379;
        const port = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new ConfigException(traceId, 'INVALID_PORT', 'Redis port must be an integer from 1 to 65535')
                .withDetails('port', value);
        }
        return port;
    }

    private static readDatabase(traceId: string, value: any): number {
        if (value == null) return 0;
        const database = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
        if (!Number.isInteger(database) || database < 0) {
            throw new ConfigException(traceId, 'INVALID_DATABASE', 'Redis database must be a non-negative integer')
                .withDetails('database', value);
        }
        return database;
    }

    private static readTls(traceId: string, value: string | null): boolean {
        const protocol = value?.toLowerCase();
        if (protocol == null || protocol == 'redis') return false;
        if (protocol == 'rediss') return true;
        throw new ConfigException(traceId, 'UNSUPPORTED_PROTOCOL', 'Redis protocol must be redis or rediss')
            .withDetails('protocol', value);
    }

    // The userinfo is split off and decoded here, by the last '@'; the URL parser only ever sees
    // the scheme, host, port and path, so neither its errors nor anything derived from the host or
    // the path can carry a secret.
    private static parseUri(traceId: string, uri: string): {
        host: string, port?: number, database?: number, tls: boolean, username?: string, password?: string
    } {
        const invalid = (message: string) => new ConfigException(traceId, 'INVALID_URI', message)
            .withDetails('uri', RedisConnectionResolver.redactUri(uri));
        const text = String(uri);
        const scheme = SCHEME.exec(text);
        if (scheme == null) throw invalid('Redis uri must start with redis:// or rediss://');
        const rest = text.substring(scheme[0].length);
        const at = rest.lastIndexOf('@');
        const userinfo = at >= 0 ? rest.substring(0, at) : null;
        const location = rest.substring(at + 1);

        let username: string | undefined;
        let password: string | undefined;
        if (userinfo != null) {
            if (USERINFO_FORBIDDEN.test(userinfo)) {
                throw invalid('Redis uri: percent-encode the user name and password (encodeURIComponent); '
                    + 'a raw / ? # \\ or a stray % in them is not allowed');
            }
            const colon = userinfo.indexOf(':');
            try {
                const user = decodeURIComponent(colon >= 0 ? userinfo.substring(0, colon) : userinfo);
                const pass = colon >= 0 ? decodeURIComponent(userinfo.substring(colon + 1)) : '';
                username = user != '' ? user : undefined;
                password = pass != '' ? pass : undefined;
            } catch {
                throw invalid('Redis uri: the user name or password is not valid percent-encoded UTF-8');
            }
        }

        const tls = RedisConnectionResolver.readTls(traceId, scheme[1].toLowerCase());
        // The URL parser refuses a port out of range as a whole; say which value is wrong instead.
        const port = AUTHORITY_PORT.exec(location)?.[1];
        if (port != null && port != '') RedisConnectionResolver.readPort(traceId, port);
        let url: URL;
        try {
            url = new URL(scheme[0] + location);
        } catch {
            throw invalid('Redis uri is not a valid URI');
        }
        if (url.hostname == '') throw invalid('Redis uri has no host');
        const path = url.pathname.replace(/^\//, '');
        return {
            host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port != '' ? RedisConnectionResolver.readPort(traceId, url.port) : undefined,
            database: path != '' ? RedisConnectionResolver.readDatabase(traceId, path) : undefined,
            tls, username, password
        };
    }

    /**
     * Hides the credentials in a URI, for messages and details: everything between `scheme://`
     * and the last `@` (user name and password, encoded or not) becomes `***`.
     *
     * @param uri   a URI that may carry credentials.
     * @returns the URI without its userinfo, e.g. `redis://***@host:6379/0`; unchanged without `@`.
     */
    public static redactUri(uri: string): string {
        const text = String(uri);
        const at = text.lastIndexOf('@');
        if (at < 0) return text;
        const scheme = SCHEME.exec(text);
        const head = scheme != null && scheme[0].length <= at ? scheme[0] : '';
        return head + '***' + text.substring(at);
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

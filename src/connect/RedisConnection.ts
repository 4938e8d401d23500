/** @module connect */
import { performance } from 'perf_hooks';
import { inspect, InspectOptions } from 'util';
import { RedisScripts } from 'redis';
import {
    ConfigParams,
    IConfigurable,
    IContext,
    IOpenable,
    IReferenceable,
    IReferences
} from 'pip-services4-components-node';
import { CompositeCounters, CompositeLogger } from 'pip-services4-observability-node';

import { RedisClientFactory, RedisClientHandle, RedisSubscriber } from './RedisClientFactory';
import { RedisConnectionResolver, RedisEndpoint } from './RedisConnectionResolver';
import { RedisErrors } from './RedisErrors';
import { KeySpace } from './KeySpace';
import { RedisObservability } from './RedisObservability';
import { RedisOptions } from './RedisOptions';
import { TraceId } from './TraceId';

/**
 * The node-redis commands the components send. A node-redis client satisfies it; typing against
 * this small interface keeps the compiler away from node-redis' very large generic client type.
 */
export interface RedisCommands {
    set(key: string, value: string, options?: any): Promise<string | null>;
    get(key: string): Promise<string | null>;
    del(keys: string | string[]): Promise<number>;
    pTTL(key: string): Promise<number>;
    publish(channel: string, message: string): Promise<number>;
    sendCommand(args: string[]): Promise<any>;
}

/**
 * One live connection to Redis, shared by the commands of one component: turns pip-services
 * configuration into a node-redis client, opens it fail-fast, keeps it alive through outages and
 * closes it without ever hanging. RedisLock and RedisCache both build on it.
 *
 * What it guarantees:
 * - `open()` resolves when the server has answered the handshake (auth, database selected), or
 *   rejects within `options.connect_timeout` with a ConnectionException (`CONNECT_FAILED`,
 *   `CONNECT_TIMEOUT`, `AUTH_FAILED`, `TLS_FAILED`), also when the server accepts TCP but never answers.
 * - After open, an outage reconnects with capped, jittered exponential backoff, forever. A command
 *   written to a server that stops answering fails within about `options.command_timeout`
 *   (`COMMAND_TIMEOUT`); commands sent while the client is reconnecting fail at once
 *   (`CONNECTION_LOST`) rather than waiting in a queue for the server to come back.
 * - No client error ever reaches the process as an uncaught `'error'` event.
 * - `close()` is idempotent and returns within `options.command_timeout`, even during an outage.
 * - TLS (`rediss://` or `protocol: rediss`) applies to every client it opens, the pub/sub
 *   subscriber included; a certificate that does not verify fails `open()` at once with
 *   `TLS_FAILED` instead of being retried until the timeout.
 * - Secrets stay out of sight: errors, `util.inspect` and `JSON.stringify` show the endpoint
 *   (`host:port[/database]`) and never a user name, password or key from the configuration.
 *
 * ### Configuration parameters ###
 * - connection(s), credential(s): see [[RedisConnectionResolver]] (host, port, uri, protocol,
 *   database; username, password, and the TLS files ssl_ca_file, ssl_crt_file, ssl_key_file)
 * - options:
 *   - cluster:              true for a Redis Cluster: the connections are seed nodes (default: false)
 *   - sentinel_name:        the master name the Sentinels monitor: the connections are Sentinels
 *   - connect_timeout:      how long `open()` may wait for the server, in ms (default: 5000)
 *   - command_timeout:      how long a command may wait for its reply, in ms (default: 5000)
 *   - reconnect_max_delay:  cap of the backoff between reconnect attempts, in ms (default: 2000)
 *   - key_prefix:           (optional) prepended to every key and channel name the components use (see
 *                           [[KeySpace]]), so several services can share one Redis; none by default
 *   - retries, timeout:     accepted for compatibility with 0.0.3; they no longer bound
 *                           reconnection (it never gives up; commands are bounded instead)
 *   - ssl_reject_unauthorized: false to accept a server certificate that does not verify (default: true)
 *   - ssl_servername:       host name for SNI and certificate verification (default: the host)
 *
 * Logs (with a logger referenced), each naming the owning component and the endpoint, never a
 * credential: connected (info); the connection lost, once per outage however many reconnect
 * attempts fail (warn); reconnected, with the outage's duration (info); credentials refused or a
 * failed TLS handshake, at open and once per outage while reconnecting (error). Counts (with
 * counters referenced) `<component>.connection.lost` and times `<component>.connection.outage_time`.
 *
 * ### References ###
 * - `*:discovery:*:*:1.0`         (optional) IDiscovery services to resolve the connection
 * - `*:credential-store:*:*:1.0`  (optional) credential stores to resolve the credential
 * - `*:logger:*:*:1.0`            (optional) ILogger components to log connection transitions to
 * - `*:counters:*:*:1.0`          (optional) ICounters components to count outages
 *
 * @example
 * ```typescript
 * const connection = new RedisConnection();
 * connection.configure(ConfigParams.fromTuples("connection.host", "localhost", "connection.port", 6379));
 * await connection.open(null);
 * const value = await connection.call(null, client => client.get("key1"));
 * await connection.close(null);
 * ```
 */
export class RedisConnection implements IConfigurable, IReferenceable, IOpenable {
    private static readonly _defaultOptions = ConfigParams.fromTuples(
        'connect_timeout', 5000,
        'command_timeout', 5000,
        'reconnect_max_delay', 2000
    );

    private readonly _resolver = new RedisConnectionResolver();
    private readonly _scripts: RedisScripts;
    private _connectTimeout = 5000;
    private _commandTimeout = 5000;
    private _reconnectMaxDelay = 2000;
    private _keySpace = KeySpace.none;
    private _client: RedisClientHandle | null = null;
    private _opening: Promise<void> | null = null;
    private _endpoint: RedisEndpoint | null = null;
    private readonly _recoveryListeners: (() => void)[] = [];
    // Monotonic time the current outage began (the first error after ready), or null while connected.
    private _outageSince: number | null = null;
    // Whether the current outage's refused credentials or failed TLS handshake was logged already.
    private _outageErrorLogged = false;

    /** Logs connection transitions to the loggers in the references. */
    protected readonly _logger = new CompositeLogger();
    /** Counts outages in the counters in the references. */
    protected readonly _counters = new CompositeCounters();
    private readonly _observe: RedisObservability;

    /**
     * Creates a connection.
     *
     * @param scripts   (optional) node-redis script definitions (`defineScript`) to register on the client.
     * @param component (optional) the name of the owning component in log messages and counter
     *                  names (default: `redis_connection`).
     */
    public constructor(scripts: RedisScripts = {}, component = 'redis_connection') {
        this._scripts = scripts;
        this._observe = new RedisObservability(component, this._logger, this._counters);
    }

    /**
     * Configures the connection.
     *
     * @param config    configuration parameters to be set.
     * @throws ConfigException INVALID_OPTION when a timeout is not a positive integer.
     */
    public configure(config: ConfigParams): void {
        this._resolver.configure(config);
        const options = config.getSection('options').setDefaults(RedisConnection._defaultOptions);
        // These arm Node timers directly (socket timeouts, pings), so they stay below 2^31 ms.
        this._connectTimeout = RedisOptions.readMillis(options, 'connect_timeout', 1, undefined, RedisOptions.maxTimerDelay);
        this._commandTimeout = RedisOptions.readMillis(options, 'command_timeout', 1, undefined, RedisOptions.maxTimerDelay);
        this._reconnectMaxDelay = RedisOptions.readMillis(options, 'reconnect_max_delay', 1, undefined, RedisOptions.maxTimerDelay);
        this._keySpace = new KeySpace(RedisOptions.readKeyPrefix(options), this._resolver.getTopology() == 'cluster');
    }

    /**
     * Sets references to discovery services, credential stores, loggers and counters.
     *
     * @param references    references to locate the dependencies.
     */
    public setReferences(references: IReferences): void {
        this._resolver.setReferences(references);
        this._observe.setReferences(references);
    }

    /**
     * Checks if the connection is open.
     *
     * @returns true once `open()` has succeeded and until `close()`, also while reconnecting.
     */
    public isOpen(): boolean {
        return this._client != null;
    }

    /**
     * The endpoint this connection was opened to (no credentials), or null before open.
     *
     * @returns `host:port[/database]` or null.
     */
    public getEndpoint(): string | null {
        return this._endpoint?.endpoint ?? null;
    }

    /**
     * How long a command written to the server may wait for its reply (`options.command_timeout`).
     *
     * @returns the command timeout in ms.
     */
    public getCommandTimeout(): number {
        return this._commandTimeout;
    }

    /**
     * The key space the components name every key and channel in: `options.key_prefix`, and
     * sharded channels on a Redis Cluster.
     *
     * @returns the key space.
     */
    public getKeySpace(): KeySpace {
        return this._keySpace;
    }

    /**
     * What this connection shows in JSON: only state that is safe to log.
     *
     * @returns the endpoint (`host:port[/database]`, never credentials; null before open), whether
     *          it uses TLS (null before open) and whether it is open.
     */
    public toJSON(): { endpoint: string | null, tls: boolean | null, open: boolean } {
        return { endpoint: this.getEndpoint(), tls: this._endpoint?.tls ?? null, open: this.isOpen() };
    }

    /**
     * What `util.inspect` (and so `console.log`) shows: the same safe state as [[toJSON]]. The
     * configuration, the resolved password and the TLS key stay out of it, also at any depth, and
     * so out of the components that hold a connection (RedisLock, RedisCache).
     *
     * @param depth     the remaining depth (unused: the state is flat).
     * @param options   the inspect options, passed on for colours.
     * @returns `RedisConnection { endpoint: ..., tls: ..., open: ... }`.
     */
    public [inspect.custom](depth: number, options: InspectOptions): string {
        return 'RedisConnection ' + inspect(this.toJSON(), { ...options, depth: 1 });
    }

    /**
     * Opens the connection: resolves where to connect and waits until the server is ready.
     * Opening an open connection does nothing; concurrent calls share one attempt.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @throws ConfigException for missing or bad configuration (also TLS_NOT_ENABLED, INVALID_SSL_FILE);
     *         ConnectionException when the server cannot be reached, refuses the credentials, fails the
     *         TLS handshake (TLS_FAILED) or does not answer within `options.connect_timeout`;
     *         UnauthorizedException NO_PERMISSION when the ACL user may not run a handshake command (SELECT).
     */
    public async open(context: IContext | string | null): Promise<void> {
        if (this._client != null) return;
        this._opening ??= this.connect(TraceId.toContext(context)).finally(() => { this._opening = null; });
        return this._opening;
    }

    /**
     * Closes the connection, waiting for replies already on the way for at most
     * `options.command_timeout`. Closing a closed connection does nothing; closing while `open()`
     * is under way waits for it and then closes, so no connection is left behind.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     */
    public async close(context: IContext | string | null): Promise<void> {
        if (this._opening != null) await this._opening.catch(() => undefined);
        const client = this._client;
        if (client == null) return;
        this._client = null;
        await client.close();
    }

    /**
     * Runs commands on the client, turning driver errors into pip-services exceptions.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param action    what to run; gets the client.
     * @returns what the action resolves to.
     * @throws InvalidStateException NOT_OPENED before open; ConnectionException on transport failures;
     *         UnauthorizedException NO_PERMISSION when the ACL denies a command, key or channel;
     *         InternalException REDIS_ERROR for other error replies.
     */
    public async call<T, C = RedisCommands>(context: IContext | string | null, action: (client: C) => Promise<T>): Promise<T> {
        const client = this._client;
        if (client == null) throw RedisErrors.notOpened(TraceId.of(context));
        try {
            const running = action(client.commands);
            return await (client.needsCallBound ? this.bounded(running) : running);
        } catch (err) {
            throw RedisErrors.fromCommandError(TraceId.of(context), err);
        }
    }

    /**
     * Waits until `replicas` replicas acknowledged every write this connection sent so far to the
     * master of `key` (Redis WAIT), for at most `timeout` ms.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param key       a key the writes touched: on a cluster, it picks the master.
     * @param replicas  how many acknowledgements to wait for.
     * @param timeout   how long to wait, in ms (WAIT blocks this connection meanwhile).
     * @returns how many replicas acknowledged.
     * @throws the same as [[call]].
     */
    public async waitForReplicas(context: IContext | string | null, key: string, replicas: number,
        timeout: number): Promise<number> {
        return this.call(context, () => this._client!.waitForReplicas(key, replicas, timeout));
    }

    /**
     * Registers a listener called each time the connection is ready again after an outage (not on
     * the first connect), for work that must wait until Redis answers again.
     *
     * @param listener  called with no arguments; it must not throw.
     */
    public onRecovered(listener: () => void): void {
        this._recoveryListeners.push(listener);
    }

    /**
     * Opens a pub/sub subscriber on the same Redis with the same settings: a client of its own for one
     * server, sharded subscriptions (SSUBSCRIBE) of the cluster client on a Redis Cluster, the
     * sentinel client's subscriber connection behind Sentinels. The caller owns it and must close
     * it; it reconnects (and resubscribes) after outages and failovers.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @returns the subscriber.
     * @throws InvalidStateException NOT_OPENED before open; ConnectionException when the server
     *         cannot be reached within `options.connect_timeout`.
     */
    public async openSubscriber(context: IContext | string | null): Promise<RedisSubscriber> {
        if (this._client == null) throw RedisErrors.notOpened(TraceId.of(context));
        // A connection-level channel: it starts with the key prefix (ACL rules by prefix cover it) and
        // holds NUL, which no caller's key or lock name does.
        return this._client.openSubscriber(TraceId.of(context), this._keySpace.name('\u0000subscriber'));
    }

    private async connect(context: IContext): Promise<void> {
        const endpoint = await this._resolver.resolve(context);
        let client: RedisClientHandle;
        try {
            client = await new RedisClientFactory(endpoint, {
                connectTimeout: this._connectTimeout,
                commandTimeout: this._commandTimeout,
                reconnectMaxDelay: this._reconnectMaxDelay
            }).open(TraceId.of(context), this._scripts);
        } catch (err: any) {
            if (err?.code == 'AUTH_FAILED' || err?.code == 'TLS_FAILED') this.logRefusal(context, err, endpoint.endpoint, false);
            throw err;
        }
        // Every error after the first 'ready' means a connection is lost (a command's error reply
        // rejects that command and raises no 'error' event); every later 'ready' is a recovery.
        client.watch({
            lost: err => { if (this._client === client) this.onConnectionError(err, endpoint.endpoint); },
            ready: () => {
                if (this._client !== client) return;
                this.noteRecovery(endpoint.endpoint);
                for (const listener of this._recoveryListeners) listener();
            }
        });
        this._client = client;
        this._endpoint = endpoint;
        this._outageSince = null;
        this._observe.info(context, '%s connected to Redis at %s%s', this._observe.component, endpoint.endpoint,
            endpoint.tls ? ' over TLS' : '');
    }

    private onConnectionError(err: any, endpoint: string): void {
        if (this._outageSince == null) {
            this._outageSince = performance.now();
            this._outageErrorLogged = false;
            this._observe.increment('connection.lost');
            // The reason is the library's own sanitized error text (as in its exceptions), not the raw driver error.
            this._observe.warn(null, '%s lost its connection to Redis at %s (%s); reconnecting',
                this._observe.component, endpoint, RedisErrors.fromCommandError(null as any, err).message);
        }
        if (!this._outageErrorLogged && (RedisErrors.isAuthError(err) || RedisErrors.isTlsError(err))) {
            this._outageErrorLogged = true;
            this.logRefusal(null, RedisErrors.fromOpenError(null as any, err, endpoint), endpoint, true);
        }
    }

    private noteRecovery(endpoint: string): void {
        if (this._outageSince == null) return;
        const lasted = performance.now() - this._outageSince;
        this._outageSince = null;
        this._observe.time('connection.outage_time', lasted);
        this._observe.info(null, '%s reconnected to Redis at %s after %d ms', this._observe.component, endpoint,
            Math.round(lasted));
    }

    // Logs refused credentials (AUTH_FAILED) or a failed TLS handshake (TLS_FAILED) as an error,
    // with the library's exception (no credentials in it).
    private logRefusal(context: IContext | null, err: any, endpoint: string, reconnecting: boolean): void {
        const what = err?.code == 'TLS_FAILED' ? 'could not complete the TLS handshake with' : 'could not authenticate to';
        this._observe.error(context, err, '%s ' + what + ' Redis at %s' + (reconnecting ? ' while reconnecting' : ''),
            this._observe.component, endpoint);
    }

    // Bounds a command that can wait for more than its reply (a cluster node being connected, a
    // sentinel switching masters): past connect_timeout + command_timeout it fails with COMMAND_TIMEOUT,
    // an outage callers ride out like any other.
    private bounded<T>(running: Promise<T>): Promise<T> {
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(RedisErrors.noAnswer(null as any)), this._connectTimeout + this._commandTimeout);
        });
        return Promise.race([running, limit]).finally(() => clearTimeout(timer));
    }

}

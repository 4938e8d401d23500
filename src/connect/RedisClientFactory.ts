/** @module connect */
import { createClient, createCluster, createSentinel, RedisScripts } from 'redis';

import { RedisEndpoint } from './RedisConnectionResolver';
import { RedisErrors } from './RedisErrors';

/** The timeouts every client gets, from `options.*`. */
export interface RedisClientSettings {
    /** How long opening may take, in ms (`options.connect_timeout`). */
    connectTimeout: number;
    /** How long a written command may wait for its reply, in ms (`options.command_timeout`). */
    commandTimeout: number;
    /** Cap of the backoff between reconnect attempts, in ms (`options.reconnect_max_delay`). */
    reconnectMaxDelay: number;
}

/** What a connection hears about a client's health, whatever the topology. */
export interface RedisClientWatcher {
    /** A connection to a node (or a sentinel) failed: the client reconnects on its own. */
    lost(err: unknown): void;
    /** A connection is ready again (not called for the first ready). */
    ready(): void;
}

/** A pub/sub subscription point: plain channels, or sharded ones on a Redis Cluster. */
export interface RedisSubscriber {
    /** Subscribes a listener to a channel; resolves once the server confirmed it. */
    subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
    /** Unsubscribes a listener from a channel. */
    unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
    /** Closes what the subscriber owns; never rejects. */
    close(): Promise<void>;
}

/** A ready client of any topology, with the few things that differ between topologies. */
export interface RedisClientHandle {
    /** The node-redis client, cluster or sentinel that commands and scripts run on. */
    readonly commands: any;
    /**
     * True when a command can wait for something besides its own reply (a cluster node being
     * connected, a sentinel switching masters), so callers must bound it themselves; false when
     * the socket timeout bounds every command (one server).
     */
    readonly needsCallBound: boolean;
    /** Starts reporting outages and recoveries. */
    watch(watcher: RedisClientWatcher): void;
    /**
     * WAIT on the connection that wrote a key's last change: how many replicas acknowledged every
     * write sent on it so far.
     */
    waitForReplicas(key: string, replicas: number, timeout: number): Promise<number>;
    /**
     * A subscriber for wake-ups (a connection of its own where pub/sub needs one). `anchor` is a
     * channel nobody publishes on, that the subscriber may keep subscribed while it is open.
     */
    openSubscriber(traceId: string, anchor: string): Promise<RedisSubscriber>;
    /** Closes within the command timeout, whatever state the client is in; never rejects. */
    close(): Promise<void>;
}

/**
 * The one place that turns a resolved [[RedisEndpoint]] into live node-redis clients: a client for
 * one server, `createCluster` for a Redis Cluster (seed nodes; credentials, TLS and timeouts as
 * defaults of every discovered node) or `createSentinel` for a master behind Sentinels (the same
 * settings for the data nodes and the Sentinels). Opening is bounded by `connect_timeout` and
 * fails at once on refused credentials or a failed TLS handshake.
 *
 * After open every client reconnects on its own, forever, with capped and jittered backoff;
 * commands sent while a node is reconnecting fail at once (no offline queue), and a written
 * command is bounded by the socket timeout.
 */
export class RedisClientFactory {
    // How soon a cluster client that keeps failing to reach a node asks the others for the topology
    // (node-redis waits 5 s by default): a promoted replica is found within about this long.
    private static readonly _clusterRefreshDelay = 500;
    // No per-command timer (see clientOptions); cluster and sentinel calls are bounded by the connection.
    private static readonly _commandOptions = { timeout: 0 };

    private readonly _endpoint: RedisEndpoint;
    private readonly _settings: RedisClientSettings;

    /**
     * @param endpoint  where and as whom to connect.
     * @param settings  the timeouts.
     */
    public constructor(endpoint: RedisEndpoint, settings: RedisClientSettings) {
        this._endpoint = endpoint;
        this._settings = settings;
    }

    /**
     * Opens a client and waits until it is ready.
     *
     * @param traceId   the trace id for errors.
     * @param scripts   node-redis script definitions to register.
     * @returns the ready client.
     * @throws ConnectionException CONNECT_FAILED, CONNECT_TIMEOUT, AUTH_FAILED or TLS_FAILED;
     *         ConfigException INVALID_DATABASE for a database the server lacks; UnauthorizedException
     *         NO_PERMISSION when the ACL user may not run a handshake command.
     */
    public async open(traceId: string, scripts: RedisScripts): Promise<RedisClientHandle> {
        switch (this._endpoint.topology) {
            case 'cluster': return this.openCluster(traceId, scripts);
            case 'sentinel': return this.openSentinel(traceId, scripts);
            default: return this.openStandalone(traceId, scripts);
        }
    }

    private async openStandalone(traceId: string, scripts: RedisScripts): Promise<RedisClientHandle> {
        const client = await this.connectStandalone(traceId, scripts);
        return {
            commands: client,
            needsCallBound: false,
            watch: watcher => RedisClientFactory.watchEvents(client, 'error', 'ready', watcher),
            waitForReplicas: (_key, replicas, timeout) => client.sendCommand(['WAIT', String(replicas), String(timeout)]),
            openSubscriber: async subscriberTraceId => {
                // RESP2 allows no other command on a subscribed connection: the subscriber gets one of its own.
                // With the command client's options, scripts included, node-redis reuses the client class
                // it built for them (it caches one, by the options' JSON): building another costs about
                // 50 ms of CPU on the first wait of every component.
                const subscriber: any = await this.connectStandalone(subscriberTraceId, scripts);
                return {
                    subscribe: (channel, listener) => subscriber.subscribe(channel, listener),
                    unsubscribe: (channel, listener) => subscriber.unsubscribe(channel, listener),
                    close: () => this.closeClient(subscriber)
                };
            },
            close: () => this.closeClient(client)
        };
    }

    private async openCluster(traceId: string, scripts: RedisScripts): Promise<RedisClientHandle> {
        const defaults = this.clientOptions(this.socketOptions(this.retryForever()), this._endpoint.database);
        const cluster: any = createCluster({
            rootNodes: this._endpoint.nodes.map(node => ({ socket: { host: node.host, port: node.port } })),
            defaults,
            // The cluster applies its own command options to every node's commands (the defaults'
            // are not used for that): without this each command arms node-redis' 5 s timer.
            commandOptions: RedisClientFactory._commandOptions,
            scripts,
            topologyRefreshOnReconnectionAttemptStrategy: RedisClientFactory._clusterRefreshDelay
        } as any);
        await this.connectWatched(traceId, cluster, ['error', 'node-error']);
        return {
            commands: cluster,
            needsCallBound: true,
            watch: watcher => RedisClientFactory.watchEvents(cluster, 'node-error', 'node-ready', watcher),
            // Routed by the key, so it runs on the connection of the master that wrote the key.
            waitForReplicas: (key, replicas, timeout) => cluster.sendCommand(key, false,
                ['WAIT', String(replicas), String(timeout)]),
            // Sharded channels: the cluster client keeps one subscriber connection per shard, follows
            // the channels' slots through resharding and failovers, and leaves commands unaffected.
            openSubscriber: async () => ({
                subscribe: (channel, listener) => cluster.sSubscribe(channel, listener),
                unsubscribe: (channel, listener) => cluster.sUnsubscribe(channel, listener),
                close: async () => undefined
            }),
            close: () => this.closeClient(cluster)
        };
    }

    private async openSentinel(traceId: string, scripts: RedisScripts): Promise<RedisClientHandle> {
        const socket = this.socketOptions(this.retryForever());
        const sentinel: any = createSentinel({
            name: this._endpoint.sentinelName,
            sentinelRootNodes: this._endpoint.nodes.map(node => ({ host: node.host, port: node.port })),
            nodeClientOptions: this.clientOptions(socket, this._endpoint.database),
            sentinelClientOptions: this.clientOptions(socket, 0),
            masterPoolSize: 1,
            // node-redis 6.3.1 reports a lost master connection only on an inner emitter
            // ('client-error' is not forwarded to the client it returns); with this option it is
            // re-emitted as an 'error' of that client.
            passthroughClientErrorEvents: true,
            // As for a cluster: the sentinel client's own command options apply to its commands.
            commandOptions: RedisClientFactory._commandOptions,
            scripts
        } as any);
        await this.connectWatched(traceId, sentinel, ['error']);
        let closed = false;
        return {
            commands: sentinel,
            needsCallBound: true,
            watch: watcher => this.watchSentinel(sentinel, watcher, () => closed),
            // One master connection (masterPoolSize 1): the WAIT follows the script on it.
            waitForReplicas: (_key, replicas, timeout) => sentinel.sendCommand(false,
                ['WAIT', String(replicas), String(timeout)]),
            // The sentinel client subscribes on a connection of its own to the current master. That
            // connection is destroyed when its last channel is unsubscribed, which rejects commands
            // still queued on it, sometimes with nobody to catch them (node-redis 6.3.1,
            // sentinel/pub-sub-proxy: "Disconnects client" as an unhandled rejection, seen in
            // test/topology). A channel kept subscribed while the subscriber is open keeps it alive.
            openSubscriber: async (_traceId, anchor) => {
                const keepAlive = () => undefined;
                await sentinel.subscribe(anchor, keepAlive);
                return {
                    subscribe: (channel, listener) => sentinel.subscribe(channel, listener),
                    unsubscribe: (channel, listener) => sentinel.unsubscribe(channel, listener),
                    close: () => sentinel.unsubscribe(anchor, keepAlive).catch(() => undefined)
                };
            },
            close: () => {
                closed = true;
                return this.closeClient(sentinel);
            }
        };
    }

    // A master connection's error is an outage ("Master Client (host:port): ..." is how node-redis
    // 6.3.1 sentinel/index.js names it; a lost Sentinel is not: the client asks another one).
    // node-redis reports no recovery of that connection unless the master changed, so a ping,
    // repeated with backoff until it is answered, tells when commands work again.
    private watchSentinel(sentinel: any, watcher: RedisClientWatcher, isClosed: () => boolean): void {
        let probing = false;
        const probe = async () => {
            probing = true;
            for (let attempt = 0; !isClosed(); attempt++) {
                if (await this.answers(() => sentinel.ping())) {
                    if (!isClosed()) watcher.ready();
                    break;
                }
                await new Promise(resolve => setTimeout(resolve, this.backoff(attempt, 1000)));
            }
            probing = false;
        };
        sentinel.on('error', (err: any) => {
            if (!/^Master Client /.test(err?.message ?? '')) return;
            watcher.lost(err.cause ?? err);
            if (!probing) void probe();
        });
    }

    // Whether a command is answered within connect_timeout + command_timeout (a sentinel command
    // may wait for a master switch first); never rejects.
    private async answers(command: () => Promise<unknown>): Promise<boolean> {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<boolean>(resolve => {
            timer = setTimeout(() => resolve(false), this._settings.connectTimeout + this._settings.commandTimeout);
        });
        const answered = Promise.resolve().then(command).then(() => true, () => false);
        const outcome = await Promise.race([answered, timedOut]);
        clearTimeout(timer);
        return outcome;
    }

    // One server: before the first ready, retries only while open() may still wait, and gives up
    // at once on refused credentials, a failed TLS handshake or a missing database; after it,
    // reconnects forever.
    private async connectStandalone(traceId: string, scripts: RedisScripts): Promise<any> {
        const deadline = Date.now() + this._settings.connectTimeout;
        let ready = false;
        const strategy = (retries: number, cause: Error) => {
            if (ready) return this.backoff(retries, this._settings.reconnectMaxDelay);
            const delay = this.backoff(retries, 500);
            if (RedisErrors.isAuthError(cause) || RedisErrors.isTlsError(cause)
                || RedisErrors.isDatabaseError(cause) || Date.now() + delay >= deadline) return cause;
            return delay;
        };
        const client = createClient({ ...this.clientOptions(this.socketOptions(strategy), this._endpoint.database), scripts } as any);
        client.on('ready', () => { ready = true; });
        await this.connectWatched(traceId, client, ['error']);
        return client;
    }

    // Connects, bounded by connect_timeout; refused credentials or a failed TLS handshake, reported
    // by any of the error events, end it at once. On failure the client is destroyed.
    private async connectWatched(traceId: string, client: any, errorEvents: string[]): Promise<void> {
        let lastError: any = null;
        let refuse: (err: unknown) => void = () => undefined;
        const refused = new Promise<never>((_resolve, reject) => { refuse = reject; });
        const onError = (event: any) => {
            lastError = event?.error ?? event;
            if (RedisErrors.isAuthError(lastError) || RedisErrors.isTlsError(lastError)) refuse(lastError);
        };
        // Without a listener an 'error' event crashes the process; the cause reaches callers through
        // the failing commands, and the watcher, instead. This listener comes first and stays: a
        // createSentinel() client is an Object.create() view of the emitter node-redis emits on, and
        // removing its last listener (below) would give the view a listener table of its own that
        // the real emitter never sees (node-redis 6.3.1 sentinel/index.js: a Socket closed
        // unexpectedly during a failover crashed the process, and the watcher heard nothing).
        client.on('error', () => undefined);
        for (const name of errorEvents) client.on(name, onError);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>(resolve => {
            timer = setTimeout(() => resolve('timeout'), this._settings.connectTimeout);
        });
        const connecting = client.connect().then(() => 'ready' as const);
        connecting.catch(() => undefined);
        refused.catch(() => undefined);
        const endpoint = this._endpoint.endpoint;
        try {
            const outcome = await Promise.race([connecting, timedOut, refused]);
            if (outcome == 'timeout') throw RedisErrors.connectTimeout(traceId, endpoint, lastError);
        } catch (err) {
            try { client.destroy(); } catch { /* already closed */ }
            if (RedisErrors.isDatabaseError(err)) throw RedisErrors.databaseRefused(traceId, this._endpoint.database, endpoint);
            throw RedisErrors.fromOpenError(traceId, err, endpoint);
        } finally {
            clearTimeout(timer);
            // The watcher reports errors from here on.
            for (const name of errorEvents) client.off(name, onError);
        }
    }

    private clientOptions(socket: object, database: number): object {
        const endpoint = this._endpoint;
        return {
            socket,
            username: endpoint.username,
            password: endpoint.password,
            database: database || undefined,
            pingInterval: Math.max(50, Math.floor(this._settings.commandTimeout / 2)),
            // Every command is bounded without a timer of its own (node-redis' default 5 s command
            // timeout arms an AbortSignal.timeout per command, the largest cost on the hot path): a
            // written command by socketTimeout, and while reconnecting commands fail at once instead
            // of queueing.
            commandOptions: RedisClientFactory._commandOptions,
            disableOfflineQueue: true
        };
    }

    private socketOptions(reconnectStrategy: (retries: number, cause: Error) => number | Error): object {
        const endpoint = this._endpoint;
        return {
            ...(endpoint.tls ? endpoint.tlsOptions : {}),
            host: endpoint.host,
            port: endpoint.port,
            tls: endpoint.tls,
            connectTimeout: this._settings.connectTimeout,
            // Bounds a command already written to a server that stopped answering; the pings keep
            // an idle but healthy socket from reaching this timeout.
            socketTimeout: this._settings.commandTimeout,
            reconnectStrategy
        };
    }

    // Cluster nodes and sentinels: node-redis creates their clients itself, so one strategy serves
    // them all and cannot tell a first connect from a reconnect; opening is bounded by
    // connectWatched instead, and every call by the connection.
    private retryForever(): (retries: number) => number {
        return retries => this.backoff(retries, this._settings.reconnectMaxDelay);
    }

    private backoff(retries: number, cap: number): number {
        return Math.min(50 * 2 ** Math.min(retries, 10), cap) + Math.floor(Math.random() * 100);
    }

    // Closes a client within the command timeout, whatever state it is in.
    private async closeClient(client: any): Promise<void> {
        // node-redis can finish a reconnect that was under way when close()/destroy() ran and then
        // keeps the socket, and its ping timer, alive forever: kill any such resurrection at once.
        const kill = () => { try { client.destroy(); } catch { /* already destroyed */ } };
        client.on('connect', kill);
        client.on('ready', kill);
        // close() waits for pending replies, forever while the server is down (node-redis #3089):
        // after the bounded wait, always destroy (it is idempotent).
        const closing = Promise.resolve().then(() => client.close()).catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closing, new Promise(resolve => { timer = setTimeout(resolve, this._settings.commandTimeout); })]);
        clearTimeout(timer);
        kill();
    }

    private static watchEvents(client: any, lostEvent: string, readyEvent: string, watcher: RedisClientWatcher): void {
        client.on(lostEvent, (err: unknown) => watcher.lost(err));
        client.on(readyEvent, () => watcher.ready());
    }
}

import { readFileSync } from 'fs';
import { createClient, ErrorReply, RedisClientType } from 'redis';
import { RedisServerTls } from './RedisServer';

/** How the harness reaches one of its servers. */
export interface AdminConnectionOptions {
    host: string;
    port: number;
    /** Password of the default user, when the server has `requirepass`. */
    password?: string;
    /** TLS of the server: the harness trusts its CA and, for mutual TLS, shows the server's own certificate. */
    tls?: RedisServerTls;
}

type Client = RedisClientType<any, any, any, any, any>;

// How long the harness waits for one answer: a frozen (SIGSTOP) or dying server must not hang a
// poll that has a deadline of its own.
const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 2000;

/**
 * The harness's own line to one server of a cluster or a sentinel setup, for the commands that form
 * and watch it (CLUSTER MEET, INFO replication, SENTINEL ...), never for the traffic under test.
 * It connects on first use and never reconnects on its own: a server the harness killed or froze
 * makes a command fail within a bound, the broken client is dropped, and the next command connects
 * afresh, so polling a server that comes and goes works.
 */
export class AdminConnection {
    private readonly _options: AdminConnectionOptions;
    private _client: Client | null = null;
    private _connecting: Promise<Client> | null = null;

    /** @param options  where the server is and how to log in. */
    public constructor(options: AdminConnectionOptions) {
        this._options = options;
    }

    /** "host:port" of the server, for messages. */
    public get address(): string {
        return this._options.host + ':' + this._options.port;
    }

    /**
     * Sends one command and returns its reply.
     *
     * @param args  the command and its arguments.
     * @returns the reply as node-redis decodes it (RESP2: strings, numbers, arrays).
     * @throws the server's error reply as it came; any other failure (refused, timed out, dropped)
     *     as an Error naming the server, after dropping the connection.
     */
    public async command(...args: string[]): Promise<any> {
        const client = await this.connected();
        try {
            return await client.sendCommand(args, { timeout: COMMAND_TIMEOUT_MS });
        } catch (err) {
            if (err instanceof ErrorReply) throw err;
            this.drop(client);
            throw new Error(this.address + ' did not answer ' + args.join(' ') + ': ' + (err as Error).message);
        }
    }

    /**
     * One section of INFO as a map of its fields.
     *
     * @param section   e.g. "replication", "commandstats".
     */
    public async info(section: string): Promise<Map<string, string>> {
        const text = String(await this.command('INFO', section));
        const fields = new Map<string, string>();
        for (const line of text.split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
        }
        return fields;
    }

    /** Closes the connection, if any; a later command connects again. */
    public close(): void {
        if (this._client != null) this.drop(this._client);
        this._connecting = null;
    }

    private connected(): Promise<Client> {
        if (this._client != null && this._client.isReady) return Promise.resolve(this._client);
        this._connecting ??= this.connect().finally(() => { this._connecting = null; });
        return this._connecting;
    }

    private async connect(): Promise<Client> {
        const { host, port, password, tls } = this._options;
        const socket: any = { host, port, connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false };
        if (tls != null) {
            Object.assign(socket, {
                tls: true, ca: readFileSync(tls.caFile),
                cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile)
            });
        }
        // RESP2: plain strings and arrays, whatever the server version.
        const client: Client = createClient({ socket, password, RESP: 2, disableClientInfo: true });
        // Failures reach the caller through the rejected command; the event would only crash the process.
        client.on('error', () => { /* reported by command() */ });
        try {
            await client.connect();
        } catch (err) {
            this.drop(client);
            throw new Error('cannot connect to ' + this.address + ': ' + (err as Error).message);
        }
        this._client = client;
        return client;
    }

    private drop(client: Client): void {
        if (this._client === client) this._client = null;
        try {
            client.destroy();
        } catch {
            // Already closed.
        }
    }
}

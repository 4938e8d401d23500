import { ChildProcess, spawn, spawnSync } from 'child_process';
import { once } from 'events';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

/** An ACL user of a throwaway server. */
export interface RedisServerUser {
    name: string;
    password: string;
    /** ACL rules after `on >password` (default: every key, channel and command: `~* &* +@all`). */
    rules?: string[];
}

/** TLS for a throwaway server: it then listens for TLS only, on `port`. */
export interface RedisServerTls {
    /** PEM files of the server certificate and its key. */
    certFile: string;
    keyFile: string;
    /** PEM file of the CA that client certificates must chain to. */
    caFile: string;
    /** True to require a client certificate (mutual TLS); default false. */
    authClients?: boolean;
}

/** What a throwaway server needs besides a port. */
export interface RedisServerOptions {
    /** `requirepass` for the default user. */
    password?: string;
    /** An ACL user, with every permission unless `rules` says otherwise. */
    user?: RedisServerUser;
    /** More ACL users. */
    users?: RedisServerUser[];
    /** Listen for TLS instead of plain TCP. */
    tls?: RedisServerTls;
    /** Extra `--name value` arguments for redis-server. */
    args?: string[];
    /**
     * Persist every write to an append-only file (`--appendonly yes --appendfsync always`) in a
     * directory of the server's own (a fresh temporary one, removed when the process exits), so
     * [[RedisServer.restartKeepingData]] brings back everything the server acknowledged.
     */
    appendOnly?: boolean;
    /**
     * Run a Sentinel (`redis-server <file> --sentinel`) instead of a data server. Sentinel needs a
     * config file of its own, which it rewrites as it learns the topology, so the file must be
     * writable and used by this one process only. A sentinel says it is ready differently (it logs
     * its `Sentinel ID`, never "Ready to accept connections"), which is waited for instead.
     */
    sentinelConfigFile?: string;
}

// What a data server and a sentinel log once they listen.
const READY_LINE = 'Ready to accept connections';
const SENTINEL_READY_LINE = 'Sentinel ID is';
// How many free ports start() tries when the one it picked was taken before the server bound it.
const PORT_ATTEMPTS = 3;

const started = new Set<RedisServer>();
// The outcome of RedisServer.binary()'s one check of the binary.
let binaryCheck: { binary: string; version: string; problem: string | null } | null = null;
// Data directories of append-only servers, removed when the process exits.
const dataDirs = new Set<string>();

/**
 * A throwaway `redis-server` on a free loopback port, for tests that need their own server: one
 * with a password, ACL users (with their own rules) or TLS, or one to stop, restart or freeze
 * (SIGSTOP) on purpose.
 * Every server started is killed when the process exits.
 */
export class RedisServer {
    public readonly host = '127.0.0.1';
    public readonly port: number;
    private readonly _args: string[];
    private readonly _dataDir: string | null;
    private readonly _readyLine: string;
    private _process: ChildProcess | null = null;

    private constructor(port: number, args: string[], dataDir: string | null, readyLine: string) {
        this.port = port;
        this._args = args;
        this._dataDir = dataDir;
        this._readyLine = readyLine;
    }

    /**
     * Starts a server and waits until it accepts connections.
     *
     * @param options   password, ACL user or extra arguments.
     * @returns the running server.
     */
    public static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
        const dataDir = options.appendOnly ? mkdtempSync(join(tmpdir(), 'redis-aof-')) : null;
        if (dataDir != null) dataDirs.add(dataDir);
        // A free port can be taken by someone else (a server started in parallel, a client's
        // outgoing connection) before redis-server binds it: then try another one.
        for (let attempt = 1; ; attempt++) {
            const port = await RedisServer.freePort();
            const server = new RedisServer(port, RedisServer.argsFor(port, options, dataDir), dataDir,
                options.sentinelConfigFile != null ? SENTINEL_READY_LINE : READY_LINE);
            try {
                await server.launch();
                return server;
            } catch (err) {
                if (attempt >= PORT_ATTEMPTS || !RedisServer.isAddressInUse(err, port)) throw err;
            }
        }
    }

    /**
     * True when a server failed to start because a port was taken.
     *
     * @param err   the error of [[start]].
     * @param port  the port that counts, or any port when omitted.
     */
    public static isAddressInUse(err: unknown, port?: number): boolean {
        const message = String((err as Error)?.message ?? err);
        return /Address already in use/.test(message) && (port == null || message.includes(':' + port + ':'));
    }

    private static argsFor(port: number, options: RedisServerOptions, dataDir: string | null): string[] {
        const persistence = dataDir != null
            ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir]
            : ['--appendonly', 'no'];
        const listen = options.tls == null ? ['--port', String(port)] : [
            '--port', '0', '--tls-port', String(port),
            '--tls-cert-file', options.tls.certFile, '--tls-key-file', options.tls.keyFile,
            '--tls-ca-cert-file', options.tls.caFile, '--tls-auth-clients', options.tls.authClients ? 'yes' : 'no'
        ];
        // The config file must come first; `--sentinel` then switches the process to sentinel mode.
        const mode = options.sentinelConfigFile != null ? [options.sentinelConfigFile, '--sentinel'] : [];
        const args = [...mode, ...listen, '--bind', '127.0.0.1', '--save', '', ...persistence,
            '--daemonize', 'no', '--loglevel', 'notice'];
        if (options.password) args.push('--requirepass', options.password);
        for (const user of [...(options.user ? [options.user] : []), ...(options.users ?? [])]) {
            args.push('--user', user.name, 'on', '>' + user.password, ...(user.rules ?? ['~*', '&*', '+@all']));
        }
        args.push(...(options.args ?? []));
        return args;
    }

    /**
     * The command to run a server: REDIS_SERVER_BIN, else `redis-server` from the PATH. Checked
     * once per process (`--version`); the answer, or the failure, is kept.
     *
     * @returns the command.
     * @throws Error naming the command, why it cannot run and what to install, when it cannot run.
     */
    public static binary(): string {
        binaryCheck ??= RedisServer.probeBinary();
        if (binaryCheck.problem != null) throw new Error(binaryCheck.problem);
        return binaryCheck.binary;
    }

    /**
     * The version of the server binary ("7.0.15"), from its `--version`, for suites that need a
     * feature only newer servers have (cluster bus ports, ADDSLOTSRANGE) and skip on older ones.
     *
     * @throws Error as [[binary]] does, when the binary cannot run.
     */
    public static version(): string {
        RedisServer.binary();
        return binaryCheck!.version;
    }

    private static probeBinary(): { binary: string; version: string; problem: string | null } {
        const fromEnv = process.env.REDIS_SERVER_BIN;
        const binary = fromEnv || 'redis-server';
        const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
        if (probe.error == null && probe.status === 0) {
            return { binary, version: /\bv=(\S+)/.exec(probe.stdout)?.[1] ?? 'unknown', problem: null };
        }
        const why = probe.error != null ? (probe.error as NodeJS.ErrnoException).code ?? probe.error.message
            : 'exit status ' + probe.status + (probe.stderr ? ': ' + probe.stderr.trim() : '');
        return {
            binary,
            version: 'unknown',
            problem: 'Cannot run redis-server: "' + binary + '" ' + (fromEnv ? '(REDIS_SERVER_BIN) ' : '(from the PATH) ')
                + 'failed with ' + why + '. The tests start throwaway Redis servers of their own, also when '
                + 'REDIS_SERVICE_HOST is set: install redis-server (Debian/Ubuntu: apt-get install -y redis-server; '
                + 'macOS: brew install redis) or set REDIS_SERVER_BIN to its path.'
        };
    }

    /** The server's process id while it runs (paused counts as running), for signals; null otherwise. */
    public get pid(): number | null {
        return this._process?.pid ?? null;
    }

    /** True while the server process runs (paused counts as running). */
    public isRunning(): boolean {
        return this._process != null;
    }

    /** Kills the server at once (SIGKILL): clients see the connection drop, nothing is saved. */
    public async stop(): Promise<void> {
        const child = this._process;
        if (child == null) return;
        this._process = null;
        started.delete(this);
        const exited = once(child, 'exit');
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
    }

    /**
     * Starts the server again on the same port (after stop), empty: an append-only server loses
     * its file too, as a server without persistence loses its data when it restarts.
     */
    public async restart(): Promise<void> {
        await this.stop();
        if (this._dataDir != null) {
            // Same path afterwards, so later restarts keep persisting to it.
            rmSync(this._dataDir, { recursive: true, force: true });
            mkdirSync(this._dataDir, { recursive: true });
        }
        await this.launch();
    }

    /**
     * Kills an append-only server at once (SIGKILL, nothing flushed beyond what `appendfsync always`
     * already wrote) and starts it again on the same port and directory: it reloads every write it
     * acknowledged before the kill.
     *
     * @throws Error when the server was not started with `appendOnly`.
     */
    public async restartKeepingData(): Promise<void> {
        if (this._dataDir == null) throw new Error('restartKeepingData needs a server started with appendOnly');
        await this.stop();
        await this.launch();
    }

    /** Freezes the server (SIGSTOP): it keeps its sockets open but answers nothing. */
    public pause(): void {
        this._process?.kill('SIGSTOP');
    }

    /** Thaws a paused server. */
    public resume(): void {
        this._process?.kill('SIGCONT');
    }

    private async launch(): Promise<void> {
        const child = spawn(RedisServer.binary(), this._args, { stdio: ['ignore', 'pipe', 'pipe'] });
        this._process = child;
        started.add(this);
        let output = '';
        await new Promise<void>((resolve, reject) => {
            const onData = (chunk: Buffer) => {
                output += chunk.toString();
                if (output.includes(this._readyLine)) {
                    child.stdout!.off('data', onData);
                    child.off('exit', onExit);
                    resolve();
                }
            };
            const onExit = (code: number) => {
                this._process = null;
                started.delete(this);
                reject(new Error('redis-server exited with code ' + code + ' before it was ready:\n' + output));
            };
            child.stdout!.on('data', onData);
            child.once('exit', onExit);
        });
        // Keep draining the pipes so a chatty server never blocks on a full pipe.
        child.stdout!.resume();
        child.stderr!.resume();
    }

    /**
     * A loopback port nothing listens on right now (the OS picks it), for a server or a cluster bus.
     * Another process may still take it before it is used; the server then fails to start, loudly.
     */
    public static async freePort(): Promise<number> {
        const server = createServer();
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        const port = (server.address() as any).port;
        server.close();
        await once(server, 'close');
        return port;
    }

    /** Kills every server this process started; safe to call from an 'exit' handler. */
    public static killAll(): void {
        for (const server of started) {
            server._process?.kill('SIGCONT');
            server._process?.kill('SIGKILL');
        }
        started.clear();
    }

    /**
     * A fresh temporary directory for files of servers this process starts (cluster node configs,
     * sentinel configs, replication snapshots), removed with the append-only data directories when
     * the process exits, after every server was killed.
     *
     * @param prefix    start of the directory's name, saying what it holds.
     * @returns its path.
     */
    public static temporaryDirectory(prefix: string): string {
        const dir = mkdtempSync(join(tmpdir(), prefix));
        dataDirs.add(dir);
        return dir;
    }

    /** Removes the data directories of the append-only servers this process started; call after they stopped. */
    public static removeDataDirs(): void {
        // A server killed a moment ago may still finish a write into its directory: retry then.
        for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
        dataDirs.clear();
    }

    /** Stops every server this process started. */
    public static async stopAll(): Promise<void> {
        await Promise.all([...started].map(s => s.stop()));
    }
}

process.on('exit', () => {
    RedisServer.killAll();
    RedisServer.removeDataDirs();
});

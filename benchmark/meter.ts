import { once } from 'events';
import { connect } from 'net';
import { AdminConnection } from '../test/support/AdminConnection';
import { RedisCluster } from '../test/support/RedisCluster';
import { RedisEndpoint } from './impl';

// The meter's own commands, left out of the counts: it sends them itself, between the windows.
const OWN_COMMANDS = new Set(['info', 'config|resetstat']);

/** What the servers did between [[RedisMeter.start]] and [[RedisMeter.read]]. */
export interface RedisReading {
    /** Calls per command summed over the masters (INFO commandstats: calls made by scripts count too). */
    commands: Record<string, number>;
    /** All those calls, per master (in slot order on a cluster). */
    perMaster: number[];
    /** CPU seconds (used_cpu_sys + used_cpu_user) each master spent. */
    cpuMasters: number[];
    /** Idem for each replica (none for a single server). */
    cpuReplicas: number[];
    /** Seconds between the window's two CPU readings. */
    seconds: number;
}

/** S2c's figures of one run, per measured cycle. */
export interface RedisCostPerCycle {
    /** Commands the masters executed per cycle, calls from scripts included. */
    commandsPerCycle: number;
    /** Calls per command per cycle, e.g. `{ evalsha: 2 }`. */
    commandMix: Record<string, number>;
    /** Each master's share of the commands, 0..1, in slot order. */
    shares: number[];
    /** Redis CPU per cycle in µs, summed over the masters. */
    cpuMastersUs: number;
    /** Idem, each master's own, in slot order. */
    cpuPerMasterUs: number[];
    /** Idem over the replicas; null without replicas. */
    cpuReplicasUs: number | null;
}

/**
 * Reads the commands and CPU of the servers under test, over a window the caller marks: one server,
 * or the masters (and, for CPU, the replicas) of a cluster. Its own connections (the harness's
 * AdminConnection) are not those under test; its own INFO and CONFIG RESETSTAT calls are left out.
 */
export class RedisMeter {
    private readonly _masters: AdminConnection[];
    private readonly _replicas: AdminConnection[];
    private _cpuAtStart: number[] = [];
    private _startedAt = 0;

    private constructor(masters: RedisEndpoint[], replicas: RedisEndpoint[]) {
        this._masters = masters.map(m => new AdminConnection({ host: m.host, port: m.port }));
        this._replicas = replicas.map(r => new AdminConnection({ host: r.host, port: r.port }));
    }

    /** For one server (no replicas). */
    public static forServer(server: RedisEndpoint): RedisMeter {
        return new RedisMeter([server], []);
    }

    /** For a cluster as it is now: its masters in slot order and their replicas. */
    public static async forCluster(cluster: RedisCluster): Promise<RedisMeter> {
        const masters = (await cluster.masters()).map(m => m.server);
        const replicas = (await Promise.all(masters.map(m => cluster.replicasOf(m)))).flat();
        return new RedisMeter(masters, replicas);
    }

    /** Starts a window: zeroes the command statistics (CONFIG RESETSTAT) and notes each node's CPU so far. */
    public async start(): Promise<void> {
        const all = [...this._masters, ...this._replicas];
        await Promise.all(all.map(node => node.command('CONFIG', 'RESETSTAT')));
        // used_cpu_* is the process's CPU since it started; RESETSTAT leaves it alone.
        this._cpuAtStart = await Promise.all(all.map(node => RedisMeter.cpuSeconds(node)));
        this._startedAt = performance.now();
    }

    /** What the servers did since [[start]]. */
    public async read(): Promise<RedisReading> {
        const all = [...this._masters, ...this._replicas];
        // CPU first: the INFO commandstats that follow cost CPU too.
        const cpu = (await Promise.all(all.map(node => RedisMeter.cpuSeconds(node)))).map((s, i) => s - this._cpuAtStart[i]);
        const seconds = (performance.now() - this._startedAt) / 1000;
        const commands: Record<string, number> = {};
        const perMaster: number[] = [];
        for (const master of this._masters) {
            let total = 0;
            for (const [field, value] of await master.info('commandstats')) {
                const name = field.replace(/^cmdstat_/, '');
                const calls = /(?:^|,)calls=(\d+)/.exec(value);
                if (name == field || calls == null || OWN_COMMANDS.has(name)) continue;
                commands[name] = (commands[name] ?? 0) + Number(calls[1]);
                total += Number(calls[1]);
            }
            perMaster.push(total);
        }
        return { commands, perMaster, cpuMasters: cpu.slice(0, this._masters.length), cpuReplicas: cpu.slice(this._masters.length), seconds };
    }

    /** Closes the meter's connections. */
    public close(): void {
        for (const node of [...this._masters, ...this._replicas]) node.close();
    }

    private static async cpuSeconds(node: AdminConnection): Promise<number> {
        const cpu = await node.info('cpu');
        return Number(cpu.get('used_cpu_sys')) + Number(cpu.get('used_cpu_user'));
    }
}

/** A reading divided by the cycles measured in its window. */
export function costPerCycle(reading: RedisReading, cycles: number): RedisCostPerCycle {
    const total = reading.perMaster.reduce((a, b) => a + b, 0);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
        commandsPerCycle: total / cycles,
        commandMix: Object.fromEntries(Object.entries(reading.commands).sort(([, a], [, b]) => b - a)
            .map(([name, calls]) => [name, calls / cycles])),
        shares: reading.perMaster.map(calls => total > 0 ? calls / total : NaN),
        cpuMastersUs: sum(reading.cpuMasters) * 1e6 / cycles,
        cpuPerMasterUs: reading.cpuMasters.map(seconds => seconds * 1e6 / cycles),
        cpuReplicasUs: reading.cpuReplicas.length > 0 ? sum(reading.cpuReplicas) * 1e6 / cycles : null
    };
}

/** Who issued the commands a server ran over a short window: its clients, or scripts (see [[sampleCommandOrigins]]). */
export interface CommandOrigins {
    /** Commands clients sent (EVALSHA, SET, SUBSCRIBE, ...): one each, however many calls a script makes. */
    clientCommands: number;
    /** Calls scripts made (the GET, SET, PUBLISH ... inside an EVALSHA). */
    scriptCalls: number;
    /** Idem per command, by its name in lower case (`evalsha`, `get`; `client` for CLIENT LIST). */
    byName: Record<string, { client: number; script: number }>;
    /** How long the sample listened. */
    seconds: number;
}

// MONITOR's line for a command: `+<time> [<db> <client address>] "SET" "k" ...`, or `[<db> lua]`
// for a call a script made.
const MONITOR_LINE = /^\+[\d.]+ \[\d+ ([^\]]+)\] "([^"]*)"/;

/**
 * Samples which commands a server ran came from its clients and which from scripts, per command:
 * for `ms`, and longer, up to `limitMs`, until clients sent `atLeast` commands (a quiet server
 * shows too little in a short sample). INFO commandstats and total_commands_processed count a
 * script's calls like any command, so they cannot tell a round trip from a call inside a script;
 * MONITOR marks the latter as `lua`. MONITOR makes the server format every command for the
 * monitor, so the sample is taken apart from any window whose CPU is measured, and only who sends
 * each command is used from it (see clientSentCalls in stats.ts).
 *
 * @param server    the server (no password: the benchmark's own throwaway one).
 * @param ms        how long to listen at least.
 * @param atLeast   (optional) how many client commands to wait for after `ms`; default none.
 * @param limitMs   (optional) how long to listen at most; default `ms`.
 */
export async function sampleCommandOrigins(server: RedisEndpoint, ms: number, atLeast = 0, limitMs = ms): Promise<CommandOrigins> {
    const socket = connect(server.port, server.host);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    const origins: CommandOrigins = { clientCommands: 0, scriptCalls: 0, byName: {}, seconds: 0 };
    let pending = '';
    let listening: { resolve: () => void; reject: (err: Error) => void } | null = null;
    const started = new Promise<void>((resolve, reject) => { listening = { resolve, reject }; });
    // Awaited only once connected: a refused connection fails the connect first.
    started.catch(() => undefined);
    socket.on('close', () => listening?.reject(new Error('MONITOR: the connection closed before +OK')));
    socket.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\r\n');
        pending = lines.pop()!;
        for (const line of lines) {
            if (listening != null) {
                // Everything before MONITOR's +OK is not a command.
                if (line == '+OK') listening.resolve();
                else listening.reject(new Error('MONITOR: ' + line));
                listening = null;
            } else {
                const command = MONITOR_LINE.exec(line);
                if (command == null) continue;
                const counts = origins.byName[command[2].toLowerCase()] ??= { client: 0, script: 0 };
                if (command[1] == 'lua') { origins.scriptCalls++; counts.script++; } else { origins.clientCommands++; counts.client++; }
            }
        }
    });
    try {
        await once(socket, 'connect');
        socket.write('MONITOR\r\n');
        await started;
        const from = performance.now();
        await new Promise(resolve => setTimeout(resolve, ms));
        while (origins.clientCommands < atLeast && performance.now() - from < limitMs) await new Promise(resolve => setTimeout(resolve, 20));
        origins.seconds = (performance.now() - from) / 1000;
        return { ...origins, byName: structuredClone(origins.byName) };
    } finally {
        socket.destroy();
    }
}

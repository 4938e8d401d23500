import { ChildProcess, fork } from 'child_process';
import { join } from 'path';
import { createClient } from 'redis';

import { RedisServer } from '../test/support/RedisServer';
import {
    ControllerMessage, ResourceAttempt, WorkerActivity, WorkerEvent, WorkerMessage, WorkerPlan
} from './ChaosEvents';
import { ChaosPlan, ChaosSettings, FaultName } from './ChaosPlan';
import { FencedResource } from './FencedResource';

/** One phase of the run: fresh keys, a steady period, a fault, another steady period. */
export interface PhaseRecord {
    index: number;
    fault: FaultName | 'baseline';
    round: number;
    /** The keys the workers contend on during this phase; nothing else uses them. */
    keys: string[];
    /** When the workers were told to switch to this phase's keys. */
    startedAt: number;
    /** When the fault began (null for the baseline). */
    injectedAt: number | null;
    /** When the fault was over: the server answered a PING again, the kill returned, the holder got SIGCONT. */
    answeredAt: number | null;
    /** From when recovery is counted: `answeredAt`, or for a frozen holder the expiry of its lease. */
    recoveryFrom: number | null;
    /** When the next phase started (or the workers were told to stop). */
    endedAt: number;
    /** False when the fault could not be injected (a harness failure: counts as a missed target). */
    injected: boolean;
    note: string;
    /** For `freeze-holder`: the lease that was frozen. */
    frozen?: { pid: number; worker: string; key: string; token: string; fence: number; expiresAt: number; stoppedAt: number; resumedAt: number };
}

/** A crash, a hang or a harness failure, seen by the controller. */
export interface ProcessIncident {
    type: 'crash' | 'hang' | 'harness';
    pid: number;
    at: number;
    text: string;
}

/** Everything a run recorded, for the checker. */
export interface ChaosRecording {
    settings: ChaosSettings;
    startedAt: number;
    endedAt: number;
    phases: PhaseRecord[];
    /** Every event the workers reported, with the reporting process. */
    events: (WorkerEvent & { pid: number })[];
    incidents: ProcessIncident[];
    /** The fenced resource's history: every write attempt, in execution order. */
    history: ResourceAttempt[];
}

interface WorkerProcess {
    index: number;
    child: ChildProcess;
    pid: number;
    lastBeat: number;
    activity: WorkerActivity[];
    /** Set while the controller keeps the process stopped (SIGSTOP). */
    stoppedAt: number | null;
    resumedAt: number;
    /** Set once told to start: heartbeats are expected from then on. */
    started: boolean;
    stopRequested: boolean;
    killedByController: boolean;
    exited: Promise<void>;
    hasExited: boolean;
    beatFlagged: boolean;
    flaggedOps: Set<string>;
}

interface FaultWindow {
    injectedAt: number;
    answeredAt: number;
    recoveryFrom: number;
    injected: boolean;
    note: string;
    frozen?: PhaseRecord['frozen'];
}

type Holding = Extract<WorkerMessage, { type: 'holding' }>;

/**
 * Runs a chaos experiment: starts the Redis under test (append-only, so it can be restarted with
 * or without its data) and the fenced resource (a second Redis, never faulted), forks the worker
 * processes, then runs phases, each with fresh keys: a steady period, one fault, another steady
 * period. It watches the workers' heartbeats for hangs and their exits for crashes, and returns
 * everything recorded for [[ChaosChecker]].
 */
export class ChaosController {
    // No heartbeat for this long (outside a deliberate SIGSTOP) is a hung process.
    private static readonly BEAT_HANG_MS = 5000;

    private readonly _settings: ChaosSettings;
    private readonly _log: (line: string) => void;
    private _server: RedisServer;
    private _resourceServer: RedisServer;
    private readonly _processes: WorkerProcess[] = [];
    private readonly _events: (WorkerEvent & { pid: number })[] = [];
    private readonly _incidents: ProcessIncident[] = [];
    private readonly _phases: PhaseRecord[] = [];
    private _holdingWaiter: ((message: Holding) => void) | null = null;
    private _freezeTurn = 0;

    /**
     * @param settings  the size of the run.
     * @param log       where progress lines go.
     */
    public constructor(settings: ChaosSettings, log: (line: string) => void) {
        this._settings = settings;
        this._log = log;
    }

    /** Longest any single worker operation may take before it counts as hung, in ms. */
    public static opHangMs(settings: ChaosSettings): number {
        return settings.acquireTimeout + 2 * settings.commandTimeout + 4000;
    }

    /**
     * Runs the whole experiment.
     *
     * @returns what was recorded.
     */
    public async run(): Promise<ChaosRecording> {
        const s = this._settings;
        const startedAt = Date.now();
        this._server = await RedisServer.start({ appendOnly: true });
        this._resourceServer = await RedisServer.start();
        this._log(`Redis under test on port ${this._server.port} (pid ${this._server.pid}, AOF), `
            + `fenced resource on port ${this._resourceServer.port}`);
        const hangTimer = setInterval(() => this.checkHangs(), 250);
        try {
            await this.startWorkers(this.keysFor(0, 'baseline'));
            this._log(`${s.processes} worker processes × ${s.workersPerProcess} workers started`);

            await this.runPhase(0, 'baseline', 0);
            let index = 1;
            for (let round = 1; round <= s.rounds; round++) {
                for (const fault of ChaosPlan.FAULTS) await this.runPhase(index++, fault, round);
            }
            this._phases[this._phases.length - 1].endedAt = Date.now();
            await this.stopWorkers();
        } finally {
            clearInterval(hangTimer);
            for (const p of this._processes) {
                if (!p.hasExited) {
                    p.killedByController = true;
                    p.child.kill('SIGCONT');
                    p.child.kill('SIGKILL');
                }
            }
        }
        const resource = await FencedResource.connect(this._resourceServer.host, this._resourceServer.port);
        const history = await resource.history();
        await resource.close();
        await this._server.stop();
        await this._resourceServer.stop();
        return {
            settings: s, startedAt, endedAt: Date.now(), phases: this._phases, events: this._events,
            incidents: this._incidents, history
        };
    }

    private keysFor(index: number, fault: string): string[] {
        const keys: string[] = [];
        for (let k = 0; k < this._settings.keysPerPhase; k++) keys.push(`chaos:${index}:${fault}:k${k}`);
        return keys;
    }

    private async runPhase(index: number, fault: FaultName | 'baseline', round: number): Promise<void> {
        const s = this._settings;
        const keys = index == 0 ? this.keysFor(0, 'baseline') : this.keysFor(index, fault);
        const startedAt = Date.now();
        if (index > 0) {
            this._phases[index - 1].endedAt = startedAt;
            this.broadcast({ type: 'keys', keys });
        }
        const phase: PhaseRecord = {
            index, fault, round, keys, startedAt, injectedAt: null, answeredAt: null, recoveryFrom: null,
            endedAt: startedAt, injected: true, note: ''
        };
        this._phases.push(phase);
        if (fault == 'baseline') {
            await sleep(s.baselineMs);
            return;
        }
        await sleep(s.steadyMs);
        const window = await this.inject(fault);
        Object.assign(phase, window);
        this._log(`phase ${index} (round ${round}) ${fault}: ${window.note}`);
        await sleep(Math.max(0, window.answeredAt + s.steadyMs - Date.now()));
    }

    private async inject(fault: FaultName): Promise<FaultWindow> {
        const s = this._settings;
        const server = this._server;
        switch (fault) {
            case 'kill9-aof':
            case 'kill9-empty': {
                const injectedAt = Date.now();
                await server.stop();
                await sleep(s.downMs);
                if (fault == 'kill9-aof') await server.restartKeepingData();
                else await server.restart();
                const answeredAt = await this.ping();
                return {
                    injectedAt, answeredAt, recoveryFrom: answeredAt, injected: true,
                    note: `killed, down ${s.downMs} ms, restarted ${fault == 'kill9-aof' ? 'with' : 'without'} its data `
                        + `(pid ${server.pid}); answers ${answeredAt - injectedAt} ms after the kill`
                };
            }
            case 'freeze-server': {
                const injectedAt = Date.now();
                server.pause();
                await sleep(s.outageMs);
                server.resume();
                const answeredAt = await this.ping();
                return {
                    injectedAt, answeredAt, recoveryFrom: answeredAt, injected: true,
                    note: `SIGSTOP for ${s.outageMs} ms; answers ${answeredAt - injectedAt} ms after the SIGSTOP`
                };
            }
            case 'kill-normal':
            case 'kill-pubsub': {
                const type = fault == 'kill-normal' ? 'normal' : 'pubsub';
                const injectedAt = Date.now();
                const killed = await this.admin(['CLIENT', 'KILL', 'TYPE', type]);
                const answeredAt = Date.now();
                return {
                    injectedAt, answeredAt, recoveryFrom: answeredAt, injected: Number(killed) > 0,
                    note: `CLIENT KILL TYPE ${type} closed ${killed} connections`
                };
            }
            case 'pause-all': {
                const injectedAt = Date.now();
                await this.admin(['CLIENT', 'PAUSE', String(s.outageMs), 'ALL']);
                // A fresh connection's PING waits out the pause: its reply is when the server answers again.
                const answeredAt = await this.ping();
                return {
                    injectedAt, answeredAt, recoveryFrom: answeredAt, injected: answeredAt - injectedAt >= s.outageMs - 50,
                    note: `CLIENT PAUSE ${s.outageMs} ALL; answers ${answeredAt - injectedAt} ms later`
                };
            }
            case 'freeze-holder':
                return this.freezeHolder();
        }
    }

    /** Stops a worker process right after one of its workers wrote its first write under a lease. */
    private async freezeHolder(): Promise<FaultWindow> {
        const s = this._settings;
        const candidates = this._processes.filter(p => !p.hasExited);
        const target = candidates[this._freezeTurn++ % candidates.length];
        const holding = new Promise<Holding | null>(resolve => {
            const timer = setTimeout(() => { this._holdingWaiter = null; resolve(null); }, 5000);
            this._holdingWaiter = message => {
                if (message.pid != target.pid) return;
                clearTimeout(timer);
                this._holdingWaiter = null;
                resolve(message);
            };
        });
        target.child.send({ type: 'freeze-next', holdMs: s.freezeHoldMs } as ControllerMessage);
        const held = await holding;
        if (held == null) {
            target.child.send({ type: 'freeze-next', holdMs: null } as ControllerMessage);
            const now = Date.now();
            return {
                injectedAt: now, answeredAt: now, recoveryFrom: now, injected: false,
                note: `no worker of process ${target.pid} took a lock within 5 s: not injected`
            };
        }
        target.child.kill('SIGSTOP');
        const stoppedAt = Date.now();
        target.stoppedAt = stoppedAt;
        await sleep(s.outageMs);
        target.child.kill('SIGCONT');
        const resumedAt = Date.now();
        target.stoppedAt = null;
        target.resumedAt = resumedAt;
        return {
            injectedAt: stoppedAt, answeredAt: resumedAt, recoveryFrom: held.expiresAt, injected: true,
            note: `process ${target.pid} stopped ${stoppedAt - held.at} ms after ${held.worker} wrote under fence `
                + `${held.fence} on ${held.key}, for ${resumedAt - stoppedAt} ms (TTL ${s.ttl} ms)`,
            frozen: {
                pid: target.pid, worker: held.worker, key: held.key, token: held.token, fence: held.fence,
                expiresAt: held.expiresAt, stoppedAt, resumedAt
            }
        };
    }

    /** Time at which a fresh connection's PING to the server under test got its reply. */
    private async ping(): Promise<number> {
        await this.admin(['PING']);
        return Date.now();
    }

    private async admin(command: string[]): Promise<any> {
        const client = createClient({
            socket: { host: this._server.host, port: this._server.port, reconnectStrategy: false, connectTimeout: 10000 },
            commandOptions: { timeout: 10000 }
        } as any);
        client.on('error', () => undefined);
        try {
            await client.connect();
            return await client.sendCommand(command);
        } finally {
            client.destroy();
        }
    }

    private async startWorkers(keys: string[]): Promise<void> {
        const s = this._settings;
        const plan: WorkerPlan = {
            lock: { host: this._server.host, port: this._server.port },
            resource: { host: this._resourceServer.host, port: this._resourceServer.port },
            workers: s.workersPerProcess, ttl: s.ttl, acquireTimeout: s.acquireTimeout,
            commandTimeout: s.commandTimeout, holdMs: s.holdMs, thinkMs: s.thinkMs, keys
        };
        const readies: Promise<void>[] = [];
        for (let index = 0; index < s.processes; index++) {
            const child = fork(join(__dirname, 'ChaosWorker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            // A stopped (SIGSTOP) worker would not notice its parent is gone: kill it with the controller.
            process.once('exit', () => {
                if (child.exitCode == null && child.signalCode == null) {
                    child.kill('SIGCONT');
                    child.kill('SIGKILL');
                }
            });
            let onExit: () => void;
            const p: WorkerProcess = {
                index, child, pid: child.pid!, lastBeat: Date.now(), activity: [], stoppedAt: null, resumedAt: 0,
                started: false, stopRequested: false, killedByController: false, hasExited: false, beatFlagged: false,
                flaggedOps: new Set(), exited: new Promise<void>(resolve => { onExit = resolve; })
            };
            this._processes.push(p);
            readies.push(new Promise<void>((resolve, reject) => {
                child.on('message', (message: WorkerMessage) => {
                    if (message.type == 'ready') resolve();
                    else if (message.type == 'failed') reject(new Error('worker process failed to start: ' + message.text));
                    else this.receive(p, message);
                });
                child.on('exit', (code, signal) => {
                    p.hasExited = true;
                    onExit();
                    reject(new Error(`worker process ${p.pid} exited (${code ?? signal}) before it was ready`));
                    if (!p.killedByController && (!p.stopRequested || code !== 0)) {
                        this._incidents.push({
                            type: 'crash', pid: p.pid, at: Date.now(),
                            text: `worker process exited with ${code != null ? 'code ' + code : signal}`
                                + (p.stopRequested ? ' after the stop request' : ' during the run')
                        });
                    }
                });
            }));
            child.send({ type: 'plan', plan, index } as ControllerMessage);
        }
        await withTimeout(Promise.all(readies), 30000, 'worker processes did not get ready within 30 s');
        const now = Date.now();
        for (const p of this._processes) {
            p.lastBeat = now;
            p.started = true;
            p.child.send({ type: 'start' } as ControllerMessage);
        }
    }

    private receive(p: WorkerProcess, message: WorkerMessage): void {
        if (message.type == 'beat') {
            p.lastBeat = Date.now();
            p.beatFlagged = false;
            p.activity = message.activity;
            for (const event of message.events) this._events.push({ ...event, pid: p.pid });
        } else if (message.type == 'done') {
            for (const event of message.events) this._events.push({ ...event, pid: p.pid });
        } else if (message.type == 'holding') {
            this._holdingWaiter?.(message);
        }
    }

    private broadcast(message: ControllerMessage): void {
        for (const p of this._processes) {
            if (!p.hasExited && p.child.connected) p.child.send(message);
        }
    }

    private async stopWorkers(): Promise<void> {
        const s = this._settings;
        for (const p of this._processes) p.stopRequested = true;
        this.broadcast({ type: 'stop' });
        const stopWithin = ChaosController.opHangMs(s) + 2000;
        await Promise.all(this._processes.map(async p => {
            if (await withTimeout(p.exited.then(() => true), stopWithin, null).catch(() => false)) return;
            this._incidents.push({
                type: 'hang', pid: p.pid, at: Date.now(),
                text: `worker process did not finish within ${stopWithin} ms of the stop request; activity: `
                    + JSON.stringify(p.activity)
            });
            p.killedByController = true;
            p.child.kill('SIGCONT');
            p.child.kill('SIGKILL');
            await p.exited;
        }));
    }

    private checkHangs(): void {
        const now = Date.now();
        const opHangMs = ChaosController.opHangMs(this._settings);
        for (const p of this._processes) {
            if (!p.started || p.hasExited || p.stoppedAt != null) continue;
            const beatFrom = Math.max(p.lastBeat, p.resumedAt);
            if (!p.beatFlagged && now - beatFrom > ChaosController.BEAT_HANG_MS) {
                p.beatFlagged = true;
                this._incidents.push({ type: 'hang', pid: p.pid, at: beatFrom, text: `no heartbeat for ${now - beatFrom} ms` });
            }
            for (const a of p.activity) {
                if (a.op == 'idle') continue;
                // Time spent stopped by the controller does not count.
                const from = Math.max(a.since, p.resumedAt);
                const id = a.worker + '@' + a.since;
                if (now - from > opHangMs && !p.flaggedOps.has(id)) {
                    p.flaggedOps.add(id);
                    this._incidents.push({
                        type: 'hang', pid: p.pid, at: a.since,
                        text: `${a.worker} stuck in ${a.op} for more than ${opHangMs} ms`
                    });
                }
            }
        }
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string | null): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message ?? 'timed out')), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

import { createClient } from 'redis';
import { impl, LockAdapter, RedisEndpoint, sleep } from './impl';
import { now, percentile } from './stats';

/** What the parent asks a worker process to do. */
export interface Task {
    kind: 's1' | 's2' | 'contend' | 'memory' | 's5' | 's6';
    impl: string;
    host: string;
    port: number;
    retryDelay?: number;
    /** Distinguishes keys between repetitions. */
    tag: string;
    cycles?: number;
    warmup?: number;
    concurrency?: number;
    /** contend: */
    workers?: number;
    firstWorker?: number;
    durationMs?: number;
    holdMs?: number;
    /** memory: cycle counts at which heapUsed is sampled. */
    checkpoints?: number[];
    /** S2c: seed nodes of a Redis Cluster to run on instead of host/port. */
    clusterNodes?: RedisEndpoint[];
    /**
     * S2c: the parent measures Redis (commands, CPU) over exactly the measured cycles, so the
     * worker pauses after its warm-up and after its measured cycles until the parent has read
     * the servers.
     */
    measured?: boolean;
    /** S6: this process's part of each phase, in the order the parent runs them. */
    phases?: S6Phase[];
}

/** One S6 phase as one worker process runs it: its share of the phase's waiters. */
export interface S6Phase {
    /** The key the parent holds while the waiters queue on it. */
    key: string;
    /** How many of the phase's waiters this process runs. */
    waiters: number;
    /** True: each waiter has a lock component of its own, opened for the phase; false: all share the process's one. */
    componentPerWaiter: boolean;
    /**
     * Each waiter asks at a random time within this many ms of the phase's start, as waiters of a
     * service arrive: asking all at once would make pollers with a fixed delay poll in lockstep.
     */
    arrivalMs: number;
}

/** What one worker process saw in one S6 phase; the parent adds the processes up. */
export interface S6PhaseResult {
    acquired: number;
    failed: number;
    violations: number;
    /** When the first of its waiters got the lock, and when the last one had released it (ms, see now()); null when none did. */
    firstAcquiredAt: number | null;
    lastDoneAt: number | null;
}

/** S6 waiters: the TTL they acquire with, and how long they are willing to wait (far past any drain). */
export const S6_TTL = 10000;
export const S6_TIMEOUT = 120000;

/**
 * Where a task waits for the parent: a measured S2 after its warm-up and after its measured
 * cycles; S6 before each phase, until the parent holds the phase's key.
 */
export type PauseStage = 'warm' | 'done' | 'phase';

const TTL = 10000;
const TIMEOUT = 10000;

/** Counts more than one holder per key inside this process (exact: JS is single-threaded). */
class Holders {
    private readonly _count = new Map<string, number>();
    public violations = 0;
    public enter(key: string): void {
        const n = (this._count.get(key) ?? 0) + 1;
        if (n > 1) this.violations++;
        this._count.set(key, n);
    }
    public leave(key: string): void {
        const n = this._count.get(key)! - 1;
        if (n == 0) this._count.delete(key); else this._count.set(key, n);
    }
}

async function cycle(adapter: LockAdapter, key: string, holders: Holders): Promise<boolean> {
    try {
        await adapter.acquire(key, TTL, TIMEOUT);
    } catch {
        return false;
    }
    holders.enter(key);
    holders.leave(key);
    await adapter.release(key);
    return true;
}

/** S1: one worker, a fresh key per cycle. */
async function s1(task: Task, adapter: LockAdapter): Promise<any> {
    const holders = new Holders();
    let failed = 0;
    for (let i = 0; i < task.warmup!; i++) {
        if (!await cycle(adapter, `bench:s1:${task.tag}:w${i}`, holders)) failed++;
    }
    const lat = new Float64Array(task.cycles!);
    const started = performance.now();
    for (let i = 0; i < task.cycles!; i++) {
        const t0 = performance.now();
        if (!await cycle(adapter, `bench:s1:${task.tag}:${i}`, holders)) failed++;
        lat[i] = performance.now() - t0;
    }
    const elapsed = performance.now() - started;
    lat.sort();
    return {
        cyclesPerSec: task.cycles! / (elapsed / 1000), p50: percentile(lat, 50), p99: percentile(lat, 99),
        violations: holders.violations, failed
    };
}

/** Runs `total` cycles over `concurrency` async workers; worker w uses key `prefix:w`. */
async function parallel(adapter: LockAdapter, prefix: string, total: number, concurrency: number,
    holders: Holders, fresh: boolean, onCycle?: (done: number) => Promise<void> | void): Promise<number> {
    let next = 0;
    let done = 0;
    let failed = 0;
    const worker = async (w: number) => {
        for (;;) {
            const i = next++;
            if (i >= total) return;
            if (!await cycle(adapter, fresh ? `${prefix}:${i}` : `${prefix}:${w}`, holders)) failed++;
            done++;
            if (onCycle) await onCycle(done);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    return failed;
}

function s2Prefix(tag: string): string {
    return `bench:s2:${tag}`;
}

/** The keys of S2's measured cycles: worker w uses `<prefix>:<w>` (see parallel). */
export function s2Keys(tag: string, concurrency: number): string[] {
    return Array.from({ length: concurrency }, (_, w) => `${s2Prefix(tag)}:${w}`);
}

/** S2: N concurrent workers, each on its own key (see s2Keys). */
async function s2(task: Task, adapter: LockAdapter, pause: (stage: PauseStage) => Promise<void>): Promise<any> {
    const holders = new Holders();
    let failed = await parallel(adapter, `${s2Prefix(task.tag)}:warm`, task.warmup!, task.concurrency!, holders, false);
    if (task.measured) await pause('warm');
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    failed += await parallel(adapter, s2Prefix(task.tag), task.cycles!, task.concurrency!, holders, false);
    const elapsed = performance.now() - started;
    const result: any = { cyclesPerSec: task.cycles! / (elapsed / 1000), violations: holders.violations, failed };
    if (task.measured) {
        // The client's side of the cost (its CPU per cycle, µs), beside what the parent reads on the servers.
        const cpu = process.cpuUsage(cpuAtStart);
        result.clientCpuUs = (cpu.user + cpu.system) / task.cycles!;
        await pause('done');
    }
    return result;
}

/**
 * S3/S4: workers loop acquire → hold → release on ONE key until the deadline. Each holder also
 * INCRs a Redis counter on entry and DECRs it before releasing: a reply above 1 means two
 * holders at once, also across processes.
 */
async function contend(task: Task, adapter: LockAdapter, startAt: number): Promise<any> {
    const check = createClient({ socket: { host: task.host, port: task.port } });
    check.on('error', () => undefined);
    await check.connect();
    const key = `bench:s3:${task.tag}`;
    const counter = key + ':holders';
    const holders = new Holders();
    let violations = 0;
    let failed = 0;
    const events: number[] = [];
    // Once per run (the first process), before the start: a key some implementation must prepare.
    if (task.firstWorker == 0) await adapter.seed?.(key);
    await sleep(Math.max(0, startAt - now()));
    const end = startAt + task.durationMs!;
    const worker = async (id: number) => {
        while (now() < end) {
            const requestedAt = now();
            try {
                await adapter.acquire(key, TTL, TIMEOUT);
            } catch {
                failed++;
                continue;
            }
            const acquiredAt = now();
            holders.enter(key);
            const [n] = await Promise.all([check.incr(counter), sleep(task.holdMs!)]);
            if (n > 1) violations++;
            await check.decr(counter);
            holders.leave(key);
            const releasedAt = now();
            await adapter.release(key);
            events.push(id, requestedAt, acquiredAt, releasedAt);
        }
    };
    await Promise.all(Array.from({ length: task.workers! }, (_, w) => worker(task.firstWorker! + w)));
    await check.close();
    return { events, violations: violations + holders.violations, failed };
}

/**
 * Heap after the first cycles vs after many: no per-key state may accumulate. At each checkpoint
 * the workers drain (no cycle in flight), then GC runs twice and heapUsed is sampled, so the
 * samples hold only what the lock keeps between cycles.
 */
async function memory(task: Task, adapter: LockAdapter): Promise<any> {
    const gc = (global as any).gc as () => void;
    if (typeof gc !== 'function') throw new Error('memory task needs --expose-gc');
    const holders = new Holders();
    const samples: { cycles: number; heapUsed: number; rss: number }[] = [];
    const checkpoints = [...task.checkpoints!];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    const worker = async () => {
        for (;;) {
            const i = next++;
            if (i >= Math.min(task.cycles!, checkpoints[0] ?? task.cycles!)) return;
            if (!await cycle(adapter, `bench:mem:${task.tag}:${i}`, holders)) failed++;
        }
    };
    while (checkpoints.length) {
        await Promise.all(Array.from({ length: task.concurrency! }, () => worker()));
        next = checkpoints.shift()!;
        gc(); gc();
        const m = process.memoryUsage();
        samples.push({ cycles: next, heapUsed: m.heapUsed, rss: m.rss });
    }
    const elapsed = performance.now() - started;
    return { samples, violations: holders.violations, failed, cyclesPerSec: task.cycles! / (elapsed / 1000) };
}

/** S5: the cache (store/retrieve) against raw SET PX / GET, when this build has a RedisCache. */
async function s5(task: Task): Promise<any> {
    const value = JSON.stringify({ id: 1, name: 'bench', tags: ['a', 'b'] });
    let ops: { open(): Promise<void>; set(k: string): Promise<unknown>; get(k: string): Promise<unknown>; close(): Promise<void> };
    if (task.impl == 'cache-ours') {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when this build has a RedisCache
        const { ConfigParams } = require('pip-services4-components-node');
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- idem
        const { RedisCache } = require('../src');
        const cache = new RedisCache();
        cache.configure(ConfigParams.fromTuples('connection.host', task.host, 'connection.port', task.port));
        const obj = JSON.parse(value);
        ops = {
            open: () => cache.open(null), close: () => cache.close(null),
            set: k => cache.store(null, k, obj, 60000), get: k => cache.retrieve(null, k)
        };
    } else {
        const client: any = createClient({ socket: { host: task.host, port: task.port } });
        client.on('error', () => undefined);
        ops = {
            open: () => client.connect(), close: () => client.close(),
            set: k => client.set(k, value, { expiration: { type: 'PX', value: 60000 } }), get: k => client.get(k)
        };
    }
    await ops.open();
    const run = async (n: number, op: (k: string) => Promise<unknown>) => {
        let next = 0;
        const started = performance.now();
        await Promise.all(Array.from({ length: task.concurrency! }, async () => {
            for (let i = next++; i < n; i = next++) await op(`bench:s5:${task.tag}:${i % 1000}`);
        }));
        return n / ((performance.now() - started) / 1000);
    };
    await run(task.warmup!, ops.set);
    const setPerSec = await run(task.cycles!, ops.set);
    const getPerSec = await run(task.cycles!, ops.get);
    await ops.close();
    return { setPerSec, getPerSec, violations: 0, failed: 0 };
}

/**
 * S6: in each phase this process's waiters ask for the phase's key, which the parent holds, within
 * the phase's arrival time, and wait; once the parent releases it, each acquires it once, checks exclusion (the INCR/DECR
 * counter of S3), releases it and is done. Before each phase the process opens the phase's own
 * components, if any, and pauses until the parent holds the key; the parent measures Redis while
 * the waiters wait, then releases the key and times the drain.
 */
async function s6(task: Task, adapter: LockAdapter, pause: (stage: PauseStage) => Promise<void>): Promise<any> {
    const check = createClient({ socket: { host: task.host, port: task.port } });
    check.on('error', () => undefined);
    await check.connect();
    const phases: S6PhaseResult[] = [];
    try {
        for (const phase of task.phases!) {
            const own = phase.componentPerWaiter ? Array.from({ length: phase.waiters }, () =>
                impl(task.impl).create({ host: task.host, port: task.port })) : [];
            await Promise.all(own.map(lock => lock.open()));
            try {
                await pause('phase');
                phases.push(await s6Phase(phase, own.length > 0 ? own : [adapter], check));
            } finally {
                await Promise.all(own.map(lock => lock.close()));
            }
        }
    } finally {
        await check.close();
    }
    return {
        phases,
        violations: phases.reduce((sum, p) => sum + p.violations, 0),
        failed: phases.reduce((sum, p) => sum + p.failed, 0)
    };
}

/** One S6 phase's waiters in this process, waiter w on `locks[w % locks.length]`. */
async function s6Phase(phase: S6Phase, locks: LockAdapter[], check: any): Promise<S6PhaseResult> {
    const counter = phase.key + ':holders';
    const result: S6PhaseResult = { acquired: 0, failed: 0, violations: 0, firstAcquiredAt: null, lastDoneAt: null };
    await Promise.all(Array.from({ length: phase.waiters }, async (_, w) => {
        const lock = locks[w % locks.length];
        await sleep(Math.random() * phase.arrivalMs);
        try {
            await lock.acquire(phase.key, S6_TTL, S6_TIMEOUT);
        } catch {
            result.failed++;
            return;
        }
        result.firstAcquiredAt ??= now();
        result.acquired++;
        if (await check.incr(counter) > 1) result.violations++;
        await check.decr(counter);
        await lock.release(phase.key);
        result.lastDoneAt = now();
    }));
    return result;
}

/** The cache implementation is there only once src exports RedisCache. */
export function cacheAvailable(): boolean {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a probe: older builds lack RedisCache
        return typeof require('../src').RedisCache === 'function';
    } catch {
        return false;
    }
}

/**
 * Runs one task; `ready` is called once connected, and resolves to the common start time;
 * `pause` (measured tasks only) resolves once the parent has read the servers.
 */
export async function runTask(task: Task, ready: () => Promise<number>,
    pause: (stage: PauseStage) => Promise<void> = () => Promise.resolve()): Promise<any> {
    if (task.kind == 's5') {
        await ready();
        return s5(task);
    }
    const adapter = impl(task.impl).create({ host: task.host, port: task.port, retryDelay: task.retryDelay, clusterNodes: task.clusterNodes });
    await adapter.open();
    try {
        const startAt = await ready();
        switch (task.kind) {
            case 's1': return await s1(task, adapter);
            case 's2': return await s2(task, adapter, pause);
            case 'contend': return await contend(task, adapter, startAt);
            case 'memory': return await memory(task, adapter);
            case 's6': return await s6(task, adapter, pause);
        }
    } finally {
        await adapter.close();
    }
}

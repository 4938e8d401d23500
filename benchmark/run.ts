// npm run bench [-- --quick] [-- --redis 127.0.0.1:6380] [-- --only s1,s2,s2c,s3,s4,s6,s5,mem] [-- --reps N]
// Runs every scenario against ONE Redis, implementations interleaved, each repetition in fresh
// worker processes, and writes benchmark/results/<mode>.{json,md,svg} (a full run with --only:
// <subset>.{json,md}, so a partial run never replaces the full one). S2c runs S2 on that Redis
// and on a throwaway 3-master cluster, and reads what the servers spent. S6 queues up to 1,000
// waiters on one held key on a throwaway server of its own, and reads what waiting costs it.
import { ChildProcess, fork } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join, resolve } from 'path';
import { execSync } from 'child_process';
import { createClient } from 'redis';
import { LockKeys } from '../src/lock/LockKeys';
import { AdminConnection } from '../test/support/AdminConnection';
import { RedisCluster } from '../test/support/RedisCluster';
import { RedisServer } from '../test/support/RedisServer';
import { IMPLS, ImplSpec, LockAdapter, RedisEndpoint, sleep } from './impl';
import { oursDefault } from './impl/ours';
import { costPerCycle, RedisMeter, RedisReading, sampleCommandOrigins } from './meter';
import { contentionLine, renderMarkdown, renderSvg } from './report';
import { Acquisition, contentionStats, now, s6Row, S6Window, summarize } from './stats';
import { HashSlot } from '../src/connect/HashSlot';
import { cacheAvailable, PauseStage, s2Keys, S6_TIMEOUT, S6_TTL, Task } from './tasks';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = flag('--only')?.split(',');
const wanted = (s: string) => only == null || only.includes(s);

const SIZES = quick
    // Smoke check: one repetition, small, in one reused worker process (see startPool); no 4-process layout.
    ? { reps: 1, s1: 400, s1Warm: 100, s2: 2000, s2Warm: 500, s3Ms: 500, memCycles: 20000, s5: 5000 }
    : { reps: 3, s1: 5000, s1Warm: 500, s2: 50000, s2Warm: 5000, s3Ms: 3000, memCycles: 1000000, s5: 50000 };
if (flag('--reps')) SIZES.reps = Number(flag('--reps'));
const HOLD_MS = 1;
const QUICK_SKIPS = 'S3/S4 with 4 processes × 2 workers (in a short window four fresh processes measure their own ' +
    'start-up: connections, pub/sub subscriptions, cold code, not hand-offs; the full run measures them)';
const QUICK_S6_SKIPS = 'S6 N = 1,000, its 4-process layout and ours with one component per waiter (a quick run has one ' +
    'pooled process and short windows; the full run and `--only s6` run them)';
const QUICK_NOTE = 'Quick run: a smoke check. One repetition, every task in one worker process forked once and reused ' +
    '(full runs fork fresh processes per repetition), S3/S4 0.5 s per run. It checks exclusion, FIFO hand-off and ' +
    'heap growth; its speed comparisons are shown, not checked: runs this short swing by ±50 % on a shared machine.';
const TUNED_DELAY = 10;
// S2c: our default adapter and the node-redis floor, each on one server and on a cluster of 3
// masters with a replica each (as the topology suites run it).
const S2C_IMPLS = ['ours', 'floor-nr'];
const S2C_CLUSTER = { masters: 3, replicasPerMaster: 1 };
// S6: N waiters on one key a separate component holds, spread over `procs` worker processes with
// one lock component each (as a service has one), N ascending in the same processes. The waiters
// arrive at random times within `arrivalMs`; once all are queued (ours: all N in the key's queue
// too), MONITOR samples `sampleMs` (who sends the commands; longer, up to `sampleLimitMs`, until
// clients sent `sampleCommands`: ours' waiters send few, a component touches its queue twice a
// second), then after `settleMs` (MONITOR gone) Redis is measured for `windowMs`, then the key
// is released and the drain timed. Ours also runs N = `perWaiterN` with one component per waiter.
// A full run does S6 once (19 phases), unless --reps is given; a quick run does N = 10 and 100 in
// its one pooled process, with short windows.
const S6 = quick
    ? { ns: [10, 100], procs: 1, arrivalMs: 100, sampleMs: 200, sampleCommands: 5, sampleLimitMs: 1000, settleMs: 100, windowMs: 700,
        perWaiterN: 0, reps: 1 }
    : { ns: [10, 100, 1000], procs: 4, arrivalMs: 500, sampleMs: 500, sampleCommands: 10, sampleLimitMs: 3000, settleMs: 250, windowMs: 2000,
        perWaiterN: 10, reps: 1 };
if (flag('--reps')) S6.reps = SIZES.reps;
// The holder's TTL: longer than any phase's wait, so only its release ends the wait.
const S6_HOLD_TTL = 60000;
// How long the waiters of ours may take to be all in the queue.
const S6_QUEUE_LIMIT_MS = 30000;
// Every implementation with a waiting acquire that takes a 120 s timeout; not ours-lease (it waits
// as ours does), ours-obs (observability, not waiting) nor floor-io (floor-nr's polling on ioredis).
const S6_IMPLS = ['ours', 'redlock-universal', 'redlock', 'semaphore', 'ours-poll', 'floor-nr'];
const S6_LEFT_OUT = 'ours-lease (waits as ours does), ours-obs (measures observability, not waiting), floor-io (the same polling as floor-nr)';
// floor-fifo passes a baton in FIFO order and is not a lock (no TTL, no single attempt): it measures
// what a fair hand-off costs, so it runs in S3 only. S4 is S3 with every retry delay tuned, and a
// BLPOP has none, so its S4 rows would repeat S3's.
const S3_ONLY = ['floor-fifo'];
const S3_ONLY_SKIPS = 'floor-fifo in S4 (it has no retry delay to tune: its rows would repeat S3\'s)';

const ROOT = resolve(__dirname, '..', '..');
const WORKER = join(__dirname, 'worker.js');

function log(msg: string): void {
    process.stdout.write(`[${((performance.now()) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

/**
 * Quick run only: worker processes forked once, before anything is measured, and reused by every
 * task. Loading a worker (Node and every client library) takes 1-2 s on a busy 2-core machine,
 * longer than most quick tasks, so forking per task made the smoke check take 1.5 min. Full runs
 * fork fresh processes for every repetition instead.
 */
let pool: ChildProcess[] | null = null;

function forkWorker(execArgv: string[]): { child: ChildProcess; loaded: Promise<void> } {
    const child = fork(WORKER, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const loaded = new Promise<void>((resolveLoaded, reject) => {
        const onMessage = (msg: any) => { if (msg.type == 'loaded') { child.off('exit', onExit); resolveLoaded(); } };
        const onExit = (code: number | null) => reject(new Error(`worker exited with ${code} while loading`));
        child.once('message', onMessage);
        child.once('exit', onExit);
    });
    return { child, loaded };
}

async function startPool(size: number): Promise<void> {
    // --expose-gc for the memory task; it changes nothing for the others.
    const workers = Array.from({ length: size }, () => forkWorker(['--expose-gc']));
    pool = workers.map(w => w.child);
    await Promise.all(workers.map(w => w.loaded));
}

function stopPool(): void {
    for (const child of pool ?? []) if (child.connected) child.send({ stop: true });
    pool = null;
}

/**
 * Runs one task per worker (fresh ones, or the pool's in a quick run), started together; returns
 * their results. A measured task's worker pauses twice (see Task.measured): `onPause` runs, then
 * the worker resumes.
 */
async function runGroup(tasks: Task[], execArgv: string[] = [],
    onPause?: (stage: PauseStage) => Promise<void>): Promise<{ results: any[]; startAt: number }> {
    if (pool != null && tasks.length > pool.length) throw new Error(`${tasks.length} tasks for ${pool.length} pooled workers`);
    const children = pool != null ? pool.slice(0, tasks.length) : tasks.map(() => {
        const { child, loaded } = forkWorker(execArgv);
        // A fresh worker that dies while loading fails its result below.
        loaded.catch(() => undefined);
        return child;
    });
    const reuse = pool != null;
    const readies: Promise<void>[] = [];
    const detach: (() => void)[] = [];
    const results = children.map((child, i) => new Promise<any>((resolvePromise, reject) => {
        let readyResolve: () => void;
        readies.push(new Promise<void>(r => { readyResolve = r; }));
        const onMessage = (msg: any) => {
            if (msg.type == 'ready') readyResolve();
            else if (msg.type == 'paused') {
                const measure = onPause?.(msg.stage) ?? Promise.resolve();
                measure.then(() => child.send({ resume: true }), reject);
            } else if (msg.type == 'result') resolvePromise(msg.result);
            else if (msg.type == 'error') reject(new Error(`${tasks[i].impl} ${tasks[i].kind}: ${msg.error}`));
        };
        const onExit = (code: number | null) => { if (code !== 0) reject(new Error(`worker for ${tasks[i].impl} exited with ${code}`)); };
        child.on('message', onMessage);
        child.on('exit', onExit);
        detach.push(() => { child.off('message', onMessage); child.off('exit', onExit); });
        child.send({ task: tasks[i], reuse });
    }));
    try {
        await Promise.race([Promise.all(readies), Promise.all(results)]);
        const startAt = now() + 100;
        for (const child of children) child.send({ startAt });
        return { results: await Promise.all(results), startAt };
    } finally {
        for (const off of detach) off();
    }
}

/** Rotates the implementation order per repetition, so none always runs first or last. */
function interleaved(impls: ImplSpec[], rep: number): ImplSpec[] {
    const k = rep % impls.length;
    return [...impls.slice(k), ...impls.slice(0, k)];
}

function version(pkg: string): string {
    try {
        return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version.replace(/^v/, '');
    } catch {
        return 'missing';
    }
}

/**
 * The results' file name: the mode, or for a full run of some scenarios only their list (e.g.
 * `s2c`, `s1+s3`), so it never replaces the committed full run. Quick runs are not kept in git,
 * so a partial one just writes quick.*.
 */
function resultsName(): string {
    return quick || only == null ? (quick ? 'quick' : 'full') : only.join('+');
}

/**
 * S2c: S2 on the benchmark's one server and on a throwaway cluster, each repetition on both
 * (node, cluster, cluster, node, ...: neither always runs first), implementations interleaved,
 * each run in fresh worker processes as S2. Each run is measured on the servers as well: the
 * commands and CPU of the measured cycles only (statistics reset after the warm-up). Results
 * go to raw[`node:<impl>`] and raw[`cluster:<impl>`]; returns the seconds it all took.
 */
async function runS2c(impls: ImplSpec[], node: { host: string; port: number }, raw: any): Promise<number> {
    const began = performance.now();
    const cluster = await RedisCluster.start(S2C_CLUSTER);
    const meters: RedisMeter[] = [];
    try {
        // The masters are the seeds, as a service would list them; the client finds the replicas.
        const masters = await cluster.masters();
        const seeds = masters.map(m => ({ host: m.server.host, port: m.server.port }));
        // How a run's 64 keys fall on the masters: their share of the commands follows it.
        const keysPerShard = (keys: string[]) => masters.map(m => keys.filter(key => m.slots.some(
            ([first, last]) => first <= HashSlot.of(key) && HashSlot.of(key) <= last)).length);
        log(`S2c: cluster of ${S2C_CLUSTER.masters} masters (${seeds.map(s => s.port).join(', ')}), ` +
            `${S2C_CLUSTER.replicasPerMaster} replica each, ready in ${((performance.now() - began) / 1000).toFixed(1)} s`);
        const nodeMeter = RedisMeter.forServer(node);
        const clusterMeter = await RedisMeter.forCluster(cluster);
        meters.push(nodeMeter, clusterMeter);
        const topologies = [
            { name: 'node', meter: nodeMeter, where: { host: node.host, port: node.port }, keysPerShard: (keys: string[]) => [keys.length] },
            { name: 'cluster', meter: clusterMeter, where: { ...seeds[0], clusterNodes: seeds }, keysPerShard }
        ];
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const topology of rep % 2 ? [...topologies].reverse() : topologies) {
                for (const spec of interleaved(impls, rep)) {
                    const window: { reading?: RedisReading } = {};
                    const task: Task = { ...topology.where, kind: 's2', impl: spec.id, tag: `s2c:${topology.name}:${spec.id}:${rep}`,
                        cycles: SIZES.s2, warmup: SIZES.s2Warm, concurrency: 64, measured: true };
                    const { results } = await runGroup([task], [], async stage => {
                        if (stage == 'warm') await topology.meter.start();
                        else window.reading = await topology.meter.read();
                    });
                    if (window.reading == null) throw new Error(`S2c ${topology.name} ${spec.id}: the worker never paused after its cycles`);
                    (raw[`${topology.name}:${spec.id}`] ??= []).push({ ...results[0], ...costPerCycle(window.reading, SIZES.s2),
                        keysPerShard: topology.keysPerShard(s2Keys(task.tag, task.concurrency!)) });
                }
            }
            log(`S2c rep ${rep + 1}/${SIZES.reps}: ` + topologies.flatMap(t => impls.map(i => {
                const r = raw[`${t.name}:${i.id}`][rep];
                return `${t.name} ${i.id} ${r.cyclesPerSec.toFixed(0)}/s ${r.commandsPerCycle.toFixed(2)} cmd ${r.cpuMastersUs.toFixed(1)} µs`;
            })).join(', '));
        }
    } finally {
        for (const meter of meters) meter.close();
        await cluster.stop();
    }
    const seconds = (performance.now() - began) / 1000;
    log(`S2c took ${seconds.toFixed(0)} s, the cluster's start and stop included`);
    return seconds;
}

/**
 * Lets the pauses of `parties` workers meet: once the last has arrived, `action` runs (with the
 * number of the round, from 0), then all of them resume; a failed action fails all their pauses.
 */
class Rendezvous {
    private _arrived: { resolve: () => void; reject: (err: unknown) => void }[] = [];
    private _round = 0;

    public constructor(private readonly _parties: number, private readonly _action: (round: number) => Promise<void>) {}

    public arrive(): Promise<void> {
        return new Promise<void>((resolve, reject) => {
            this._arrived.push({ resolve, reject });
            if (this._arrived.length < this._parties) return;
            const all = this._arrived;
            this._arrived = [];
            this._action(this._round++).then(() => all.forEach(p => p.resolve()), err => all.forEach(p => p.reject(err)));
        });
    }
}

/** Splits `n` waiters over `procs` processes as evenly as can be, the first ones taking the rest. */
function share(n: number, procs: number, p: number): number {
    return Math.floor(n / procs) + (p < n % procs ? 1 : 0);
}

/**
 * One S6 phase, from the parent's side, once the waiters were told to go: waits until they have
 * all arrived and are queued (ours: all `n` tokens in the key's queue; the others have nothing to
 * look at), samples MONITOR, lets the server settle without it, measures the window, and releases
 * the key, whatever happened.
 */
async function measureS6Phase(key: string, n: number, queueVisible: boolean, holder: LockAdapter,
    meter: RedisMeter, probe: AdminConnection, server: RedisEndpoint): Promise<S6Window> {
    const launched = performance.now();
    let measured: Omit<S6Window, 'releasedAt'>;
    let releasedAt: number;
    try {
        await sleep(S6.arrivalMs);
        if (queueVisible) {
            const queue = new LockKeys(key).queue;
            while (Number(await probe.command('LLEN', queue)) < n) {
                if (performance.now() - launched > S6_QUEUE_LIMIT_MS) throw new Error(`S6: ${n} waiters not queued on ${key} after ${S6_QUEUE_LIMIT_MS} ms`);
                await sleep(20);
            }
        }
        const queuedMs = performance.now() - launched;
        const origins = await sampleCommandOrigins(server, S6.sampleMs, S6.sampleCommands, S6.sampleLimitMs);
        await sleep(S6.settleMs);
        await meter.start();
        await sleep(S6.windowMs);
        const reading = await meter.read();
        measured = { queuedMs, reading, origins };
    } finally {
        releasedAt = now();
        await holder.release(key);
    }
    return { ...measured, releasedAt };
}

/**
 * S6 on a throwaway server of its own (its statistics are reset and it is MONITORed): for each
 * implementation, fresh worker processes run every N in turn (see S6), the parent holding each
 * phase's key through a component of that implementation. Rows go to raw[`<variant>:<N>`], the
 * variant being the implementation or `ours-per-waiter`; returns the seconds it all took.
 */
async function runS6(impls: ImplSpec[], raw: any): Promise<number> {
    const began = performance.now();
    const server = await RedisServer.start();
    const where = { host: server.host, port: server.port };
    const meter = RedisMeter.forServer(where);
    const probe = new AdminConnection(where);
    try {
        for (let rep = 0; rep < S6.reps; rep++) {
            for (const spec of interleaved(impls, rep)) {
                const phases = S6.ns.map(n => ({ n, variant: spec.id, perWaiter: false }));
                if (spec.id == 'ours' && S6.perWaiterN > 0) phases.push({ n: S6.perWaiterN, variant: 'ours-per-waiter', perWaiter: true });
                const tag = `s6:${spec.id}:${rep}`;
                const keyOf = (i: number) => `bench:${tag}:${i}`;
                const tasks: Task[] = Array.from({ length: S6.procs }, (_, p) => ({
                    ...where, kind: 's6' as const, impl: spec.id, tag,
                    phases: phases.map((phase, i) => ({ key: keyOf(i), waiters: share(phase.n, S6.procs, p), componentPerWaiter: phase.perWaiter,
                        arrivalMs: S6.arrivalMs }))
                }));
                const holder = spec.create(where);
                await holder.open();
                const windows: S6Window[] = [];
                // The phase being measured; the next phase starts only once it is done (its key released).
                let measuring: Promise<void> = Promise.resolve();
                const rendezvous = new Rendezvous(S6.procs, async i => {
                    await measuring;
                    await holder.acquire(keyOf(i), S6_HOLD_TTL, 10000);
                    measuring = measureS6Phase(keyOf(i), phases[i].n, spec.id == 'ours', holder, meter, probe, where)
                        .then(w => { windows[i] = w; });
                    // Awaited before the next phase and after the last; marked handled until then.
                    measuring.catch(() => undefined);
                });
                let results: any[];
                try {
                    ({ results } = await runGroup(tasks, [], () => rendezvous.arrive()));
                    await measuring;
                } finally {
                    await holder.close();
                }
                phases.forEach((phase, i) => push(raw, `${phase.variant}:${phase.n}`,
                    s6Row(phase.n, windows[i], results.map(r => r.phases[i]))));
                log(`S6 ${spec.id}` + (S6.reps > 1 ? ` rep ${rep + 1}/${S6.reps}` : '') + ': ' + phases.map(phase => {
                    const r = raw[`${phase.variant}:${phase.n}`][rep];
                    return `${phase.perWaiter ? 'per-waiter ' : ''}N=${phase.n} ${r.commandsPerWaiterSec.toFixed(2)} cmd ` +
                        `${r.roundTripsPerWaiterSec.toFixed(2)} rt /waiter/s, CPU ${r.cpuPct.toFixed(1)} %, drain ${r.drainMs.toFixed(0)} ms`;
                }).join('; '));
            }
        }
    } finally {
        meter.close();
        probe.close();
        await server.stop();
    }
    const seconds = (performance.now() - began) / 1000;
    log(`S6 took ${seconds.toFixed(0)} s, its server's start and stop included`);
    return seconds;
}

function push(scenario: any, key: string, value: any): void {
    (scenario[key] ??= []).push(value);
}

async function main(): Promise<void> {
    let host = '127.0.0.1';
    let port: number;
    let server: RedisServer | null = null;
    const redisArg = flag('--redis');
    if (redisArg) {
        const [h, p] = redisArg.split(':');
        if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(h)) throw new Error('--redis must be a loopback address');
        host = h; port = Number(p);
    } else {
        server = await RedisServer.start();
        port = server.port;
    }
    const info = createClient({ socket: { host, port } });
    info.on('error', () => undefined);
    await info.connect();
    const redisVersion = /redis_version:(\S+)/.exec(await info.info('server'))?.[1] ?? '?';
    log(`Redis ${redisVersion} on ${host}:${port}${server ? ' (throwaway server)' : ''}; ${quick ? 'quick' : 'full'} run`);

    if (quick) {
        // Every quick group runs in one process (the 4-process layout is full-run only).
        await startPool(1);
        log('worker process loaded, reused by every task of the quick run');
    }

    const impls = IMPLS.filter(i => i.available());
    const skipped = IMPLS.filter(i => !i.available()).map(i => i.id);
    // ours-obs measures what observability costs an acquire (S1/S2); hand-off is ours' already.
    // floor-nr-nt differs from floor-nr in client CPU per command only: S1/S2 are where that shows.
    const contenders = impls.filter(i => i.id != 'floor-io' && i.id != 'ours-obs' && i.id != 'floor-nr-nt');
    // S1 and S2: the locks, without the S3-only floor.
    const locks = impls.filter(i => !S3_ONLY.includes(i.id));
    const base = { host, port };
    const raw: any = { s1: {}, s2: {}, s2c: {}, s3: {}, s4: {}, s6: {}, s5: {}, memory: null };
    const notRun: string[] = [];
    let s2cSeconds: number | null = null;
    let s6Seconds: number | null = null;

    if (wanted('s1')) {
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const spec of interleaved(locks, rep)) {
                const { results } = await runGroup([{ ...base, kind: 's1', impl: spec.id, tag: `${spec.id}:${rep}`,
                    cycles: SIZES.s1, warmup: SIZES.s1Warm }]);
                push(raw.s1, spec.id, results[0]);
            }
            log(`S1 rep ${rep + 1}/${SIZES.reps}: ` + locks.map(i => `${i.id} ${raw.s1[i.id][rep].cyclesPerSec.toFixed(0)}/s`).join(', '));
        }
    }
    if (wanted('s2')) {
        const s2Meter = RedisMeter.forServer(base);
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const spec of interleaved(locks, rep)) {
                // Measured on the server too, as S2c: commands and Redis CPU of the measured cycles only.
                const window: { reading?: RedisReading } = {};
                const { results } = await runGroup([{ ...base, kind: 's2', impl: spec.id, tag: `${spec.id}:${rep}`,
                    cycles: SIZES.s2, warmup: SIZES.s2Warm, concurrency: 64, measured: true }], [], async stage => {
                    if (stage == 'warm') await s2Meter.start();
                    else window.reading = await s2Meter.read();
                });
                if (window.reading == null) throw new Error(`S2 ${spec.id}: the worker never paused after its cycles`);
                const cost = costPerCycle(window.reading, SIZES.s2);
                push(raw.s2, spec.id, { ...results[0], commandsPerCycle: cost.commandsPerCycle, redisCpuUs: cost.cpuMastersUs,
                    commandMix: cost.commandMix });
            }
            log(`S2 rep ${rep + 1}/${SIZES.reps}: ` + locks.map(i => {
                const r = raw.s2[i.id][rep];
                return `${i.id} ${r.cyclesPerSec.toFixed(0)}/s ${r.commandsPerCycle.toFixed(2)} cmd ${r.redisCpuUs.toFixed(1)} µs`;
            }).join(', '));
        }
        s2Meter.close();
    }
    if (wanted('s2c')) {
        const unsupported = RedisCluster.unsupportedReason();
        if (unsupported != null) notRun.push(`S2c (${unsupported})`);
        else s2cSeconds = await runS2c(impls.filter(i => S2C_IMPLS.includes(i.id)), base, raw.s2c);
    }
    for (const scenario of ['s3', 's4'] as const) {
        if (!wanted(scenario)) continue;
        const retryDelay = scenario == 's4' ? TUNED_DELAY : undefined;
        const runners = scenario == 's3' ? contenders : contenders.filter(i => !S3_ONLY.includes(i.id));
        const layouts = [{ name: '1x8', procs: 1, workers: 8 }, { name: '4x2', procs: 4, workers: 2 }];
        for (const layout of quick ? layouts.filter(l => l.procs == 1) : layouts) {
            for (let rep = 0; rep < SIZES.reps; rep++) {
                for (const spec of interleaved(runners, rep)) {
                    const tag = `${scenario}:${layout.name}:${spec.id}:${rep}`;
                    const tasks: Task[] = Array.from({ length: layout.procs }, (_, p) => ({
                        ...base, kind: 'contend' as const, impl: spec.id, tag, retryDelay,
                        workers: layout.workers, firstWorker: p * layout.workers, durationMs: SIZES.s3Ms, holdMs: HOLD_MS
                    }));
                    const { results, startAt } = await runGroup(tasks);
                    const events: Acquisition[] = [];
                    for (const r of results) {
                        for (let i = 0; i < r.events.length; i += 4) {
                            events.push({ worker: r.events[i], requestedAt: r.events[i + 1], acquiredAt: r.events[i + 2], releasedAt: r.events[i + 3] });
                        }
                    }
                    const stats = contentionStats(events, startAt, startAt + SIZES.s3Ms, layout.procs * layout.workers);
                    const violations = results.reduce((s, r) => s + r.violations, 0);
                    const failed = results.reduce((s, r) => s + r.failed, 0);
                    push(raw[scenario], `${layout.name}:${spec.id}`, { ...stats, violations, failed });
                }
                log(`${scenario.toUpperCase()} ${layout.name} rep ${rep + 1}/${SIZES.reps}: ` + runners.map(i => {
                    const r = raw[scenario][`${layout.name}:${i.id}`][rep];
                    return `${i.id} ${contentionLine(r)}`;
                }).join(', '));
            }
        }
    }
    if (wanted('s6')) s6Seconds = await runS6(impls.filter(i => S6_IMPLS.includes(i.id)), raw.s6);
    const cacheOk = cacheAvailable();
    if (wanted('s5') && cacheOk) {
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const id of rep % 2 ? ['cache-raw', 'cache-ours'] : ['cache-ours', 'cache-raw']) {
                const { results } = await runGroup([{ ...base, kind: 's5', impl: id, tag: `${id}:${rep}`,
                    cycles: SIZES.s5, warmup: SIZES.s5 / 10, concurrency: 64 }]);
                push(raw.s5, id, results[0]);
            }
            log(`S5 rep ${rep + 1}/${SIZES.reps}`);
        }
    }
    if (wanted('mem')) {
        const checkpoints = [10000, ...[0.1, 0.25, 0.5, 0.75, 1].map(f => Math.round(SIZES.memCycles * f))]
            .filter((v, i, a) => v >= 10000 && a.indexOf(v) == i).sort((a, b) => a - b);
        const { results } = await runGroup([{ ...base, kind: 'memory', impl: 'ours', tag: 'mem', cycles: SIZES.memCycles,
            concurrency: 64, checkpoints }], ['--expose-gc']);
        raw.memory = results[0];
        log(`Memory: ${raw.memory.samples.map((s: any) => `${s.cycles}: ${(s.heapUsed / 1048576).toFixed(2)} MB`).join(', ')}`);
    }
    await info.close();
    stopPool();
    if (server) await server.stop();

    let commit = '?';
    try { commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
    const report = {
        mode: quick ? 'quick' : 'full',
        date: new Date().toISOString(),
        sizes: { ...SIZES, holdMs: HOLD_MS, tunedDelay: TUNED_DELAY, ttl: 10000, timeout: 10000 },
        machine: {
            cores: cpus().length, cpu: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
            node: process.version, redis: redisVersion, redisEndpoint: server ? 'throwaway loopback server' : `${host}:${port}`
        },
        versions: {
            'pip-services4-redis-node': JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version + ' @ ' + commit,
            redis: version('redis'), '@redis/client': version('@redis/client'), ioredis: version('ioredis'),
            redlock: version('redlock'), 'redlock-universal': version('redlock-universal'), 'redis-semaphore': version('redis-semaphore')
        },
        impls: impls.map(i => ({ id: i.id, label: i.label, waiting: i.waiting(), tuned: i.waiting(TUNED_DELAY) })),
        skipped: [...skipped, ...notRun, ...(wanted('s4') ? [S3_ONLY_SKIPS] : []), ...(cacheOk ? [] : ['S5 (no RedisCache in this build)']),
            ...(quick ? [QUICK_SKIPS] : []), ...(quick && wanted('s6') ? [QUICK_S6_SKIPS] : [])],
        notes: quick ? [QUICK_NOTE] : [],
        file: resultsName(),
        args,
        s2c: s2cSeconds == null ? null : { seconds: s2cSeconds, cluster: S2C_CLUSTER },
        s6: s6Seconds == null ? null : {
            seconds: s6Seconds, ...S6, holdTtl: S6_HOLD_TTL, ttl: S6_TTL, timeout: S6_TIMEOUT, leftOut: S6_LEFT_OUT,
            variants: [...impls.filter(i => S6_IMPLS.includes(i.id)).map(i => ({ id: i.id, label: i.label, waiting: i.waiting() })),
                ...(S6.perWaiterN > 0 ? [{ id: 'ours-per-waiter', label: 'ours, one component per waiter', waiting: oursDefault.waiting() }] : [])]
        },
        raw,
        summary: summarize(raw)
    };
    const dir = join(ROOT, 'benchmark', 'results');
    mkdirSync(dir, { recursive: true });
    const base_ = join(dir, report.file);
    // Per-wait samples are large; the JSON keeps them only through the summary's percentiles.
    writeFileSync(base_ + '.json', JSON.stringify(report, (k, v) => k == 'waits' ? undefined : v, 1));
    const md = renderMarkdown(report);
    writeFileSync(base_ + '.md', md);
    // The chart shows S3/S4 waits and S6 commands per waiter.
    const charted = ['s3', 's4', 's6'].some(sc => Object.keys(raw[sc]).length > 0);
    if (charted) writeFileSync(base_ + '.svg', renderSvg(report));
    process.stdout.write('\n' + md + '\n');
    log(`Wrote ${base_}.{json,md${charted ? ',svg' : ''}}`);
}

main().catch(err => {
    console.error(err);
    stopPool();
    RedisServer.killAll();
    process.exit(1);
});

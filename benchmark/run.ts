// npm run bench [-- --quick] [-- --redis 127.0.0.1:6380] [-- --only s1,s2,s3,s4,s5,mem] [-- --reps N]
// Runs every scenario against ONE Redis, implementations interleaved, each repetition in fresh
// worker processes, and writes benchmark/results/<mode>.{json,md,svg}.
import { fork } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join, resolve } from 'path';
import { execSync } from 'child_process';
import { createClient } from 'redis';
import { RedisServer } from '../test/support/RedisServer';
import { IMPLS, ImplSpec } from './impl';
import { renderMarkdown, renderSvg } from './report';
import { Acquisition, contentionStats, median, now } from './stats';
import { cacheAvailable, Task } from './tasks';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = flag('--only')?.split(',');
const wanted = (s: string) => only == null || only.includes(s);

const SIZES = quick
    // Smoke check: one repetition of everything, small.
    ? { reps: 1, s1: 400, s1Warm: 100, s2: 3000, s2Warm: 1000, s3Ms: 400, memCycles: 20000, s5: 5000 }
    : { reps: 3, s1: 5000, s1Warm: 500, s2: 50000, s2Warm: 5000, s3Ms: 3000, memCycles: 1000000, s5: 50000 };
if (flag('--reps')) SIZES.reps = Number(flag('--reps'));
const HOLD_MS = 1;
const TUNED_DELAY = 10;

const ROOT = resolve(__dirname, '..', '..');
const WORKER = join(__dirname, 'worker.js');

function log(msg: string): void {
    process.stdout.write(`[${((performance.now()) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

/** Forks one worker per task, starts them together, returns their results. */
async function runGroup(tasks: Task[], execArgv: string[] = []): Promise<{ results: any[]; startAt: number }> {
    const children = tasks.map(() => fork(WORKER, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const readies: Promise<void>[] = [];
    const results = children.map((child, i) => new Promise<any>((resolvePromise, reject) => {
        let readyResolve: () => void;
        readies.push(new Promise<void>(r => { readyResolve = r; }));
        child.on('message', (msg: any) => {
            if (msg.type == 'ready') readyResolve();
            else if (msg.type == 'result') resolvePromise(msg.result);
            else if (msg.type == 'error') reject(new Error(`${tasks[i].impl} ${tasks[i].kind}: ${msg.error}`));
        });
        child.on('exit', code => { if (code) reject(new Error(`worker for ${tasks[i].impl} exited with ${code}`)); });
        child.send(tasks[i]);
    }));
    await Promise.all(readies);
    const startAt = now() + 100;
    for (const child of children) child.send({ startAt });
    return { results: await Promise.all(results), startAt };
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

    const impls = IMPLS.filter(i => i.available());
    const skipped = IMPLS.filter(i => !i.available()).map(i => i.id);
    const contenders = impls.filter(i => i.id != 'floor-io');
    const base = { host, port };
    const raw: any = { s1: {}, s2: {}, s3: {}, s4: {}, s5: {}, memory: null };
    const push = (scenario: any, key: string, value: any) => (scenario[key] ??= []).push(value);

    if (wanted('s1')) {
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const spec of interleaved(impls, rep)) {
                const { results } = await runGroup([{ ...base, kind: 's1', impl: spec.id, tag: `${spec.id}:${rep}`,
                    cycles: SIZES.s1, warmup: SIZES.s1Warm }]);
                push(raw.s1, spec.id, results[0]);
            }
            log(`S1 rep ${rep + 1}/${SIZES.reps}: ` + impls.map(i => `${i.id} ${raw.s1[i.id][rep].cyclesPerSec.toFixed(0)}/s`).join(', '));
        }
    }
    if (wanted('s2')) {
        for (let rep = 0; rep < SIZES.reps; rep++) {
            for (const spec of interleaved(impls, rep)) {
                const { results } = await runGroup([{ ...base, kind: 's2', impl: spec.id, tag: `${spec.id}:${rep}`,
                    cycles: SIZES.s2, warmup: SIZES.s2Warm, concurrency: 64 }]);
                push(raw.s2, spec.id, results[0]);
            }
            log(`S2 rep ${rep + 1}/${SIZES.reps}: ` + impls.map(i => `${i.id} ${raw.s2[i.id][rep].cyclesPerSec.toFixed(0)}/s`).join(', '));
        }
    }
    for (const scenario of ['s3', 's4'] as const) {
        if (!wanted(scenario)) continue;
        const retryDelay = scenario == 's4' ? TUNED_DELAY : undefined;
        const layouts = [{ name: '1x8', procs: 1, workers: 8 }, { name: '4x2', procs: 4, workers: 2 }];
        // The smoke check skips the costliest group (4 forks per run) in S4.
        for (const layout of quick && scenario == 's4' ? layouts.slice(0, 1) : layouts) {
            for (let rep = 0; rep < SIZES.reps; rep++) {
                for (const spec of interleaved(contenders, rep)) {
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
                log(`${scenario.toUpperCase()} ${layout.name} rep ${rep + 1}/${SIZES.reps}: ` + contenders.map(i => {
                    const r = raw[scenario][`${layout.name}:${i.id}`][rep];
                    return `${i.id} ${r.handoffsPerSec.toFixed(0)}/s ${(r.shareToOther * 100).toFixed(0)}% p50 ${r.waitP50.toFixed(1)}ms`;
                }).join(', '));
            }
        }
    }
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
            redlock: version('redlock'), 'redis-semaphore': version('redis-semaphore')
        },
        impls: impls.map(i => ({ id: i.id, label: i.label, waiting: i.waiting(), tuned: i.waiting(TUNED_DELAY) })),
        skipped: [...skipped, ...(cacheOk ? [] : ['S5 (no RedisCache in this build)'])],
        raw,
        summary: summarize(raw)
    };
    const dir = join(ROOT, 'benchmark', 'results');
    mkdirSync(dir, { recursive: true });
    const base_ = join(dir, report.mode);
    // Per-wait samples are large; the JSON keeps them only through the summary's percentiles.
    writeFileSync(base_ + '.json', JSON.stringify(report, (k, v) => k == 'waits' ? undefined : v, 1));
    const md = renderMarkdown(report);
    writeFileSync(base_ + '.md', md);
    writeFileSync(base_ + '.svg', renderSvg(report));
    process.stdout.write('\n' + md + '\n');
    log(`Wrote ${base_}.{json,md,svg}`);
}

/** Medians over the repetitions, per scenario and implementation. */
function summarize(raw: any): any {
    const out: any = {};
    for (const scenario of ['s1', 's2', 's3', 's4', 's5']) {
        out[scenario] = {};
        for (const [id, reps] of Object.entries<any[]>(raw[scenario])) {
            const keys = Object.keys(reps[0]).filter(k => typeof reps[0][k] == 'number');
            const m: any = {};
            for (const k of keys) m[k] = median(reps.map(r => r[k]));
            m.violations = reps.reduce((s, r) => s + (r.violations ?? 0), 0);
            m.failed = reps.reduce((s, r) => s + (r.failed ?? 0), 0);
            if (reps[0].waits) {
                // All waiting workers' waits of all repetitions, for the chart.
                const all = reps.flatMap(r => r.waits).sort((a: number, b: number) => a - b);
                m.pooled = { n: all.length, p50: all[Math.floor(all.length * 0.5)] ?? NaN,
                    p90: all[Math.floor(all.length * 0.9)] ?? NaN, p99: all[Math.min(all.length - 1, Math.floor(all.length * 0.99))] ?? NaN,
                    max: all[all.length - 1] ?? NaN };
            }
            out[scenario][id] = m;
        }
    }
    if (raw.memory) {
        const s = raw.memory.samples;
        out.memory = { first: s[0], last: s[s.length - 1], growthBytes: s[s.length - 1].heapUsed - s[0].heapUsed,
            violations: raw.memory.violations, failed: raw.memory.failed, cyclesPerSec: raw.memory.cyclesPerSec };
    }
    return out;
}

main().catch(err => {
    console.error(err);
    RedisServer.killAll();
    process.exit(1);
});

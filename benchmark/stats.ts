import type { CommandOrigins, RedisReading } from './meter';
import type { S6PhaseResult } from './tasks';

/** Wall-clock milliseconds with sub-ms resolution, comparable across processes on one machine. */
export function now(): number {
    return performance.timeOrigin + performance.now();
}

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
    if (sorted.length == 0) return NaN;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
    return sorted[rank];
}

export function median(values: number[]): number {
    const v = values.filter(x => !Number.isNaN(x)).sort((a, b) => a - b);
    if (v.length == 0) return NaN;
    const mid = v.length >> 1;
    return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
    return Float64Array.from(values).sort();
}

/** One acquisition in a contention run: who, when asked, when granted, when it began releasing. */
export interface Acquisition {
    worker: number;
    requestedAt: number;
    acquiredAt: number;
    releasedAt: number;
}

export interface ContentionStats {
    handoffsPerSec: number;
    acquisitions: number;
    shareToOther: number;
    waitP50: number;
    waitP99: number;
    waitMax: number;
    waits: number[];
    workersServed: number;
    workers: number;
}

/**
 * Hand-offs in [start, end]: acquisitions ordered by grant time; a hand-off "to another worker"
 * is one whose previous holder was a different worker, and its wait (granted − asked) is the
 * waiting worker's wait. Acquisitions granted after `end` (waiters served once the others
 * stopped) still count for the waits, so starvation shows up.
 */
export function contentionStats(events: Acquisition[], start: number, end: number, workers: number): ContentionStats {
    const ordered = [...events].sort((a, b) => a.acquiredAt - b.acquiredAt);
    const inWindow = ordered.filter(e => e.acquiredAt >= start && e.acquiredAt <= end);
    let toOther = 0;
    const waits: number[] = [];
    for (let i = 1; i < ordered.length; i++) {
        if (ordered[i].worker != ordered[i - 1].worker) {
            waits.push(ordered[i].acquiredAt - ordered[i].requestedAt);
            if (ordered[i].acquiredAt <= end) toOther++;
        }
    }
    const sorted = sortedCopy(waits);
    return {
        handoffsPerSec: inWindow.length / ((end - start) / 1000),
        acquisitions: inWindow.length,
        shareToOther: inWindow.length > 1 ? toOther / (inWindow.length - 1) : NaN,
        waitP50: percentile(sorted, 50),
        waitP99: percentile(sorted, 99),
        waitMax: sorted.length ? sorted[sorted.length - 1] : NaN,
        waits,
        workersServed: new Set(inWindow.map(e => e.worker)).size,
        workers
    };
}

/**
 * Medians over the repetitions, per scenario and implementation (what the tables show); for the
 * contention scenarios also `pooled`: percentiles of every wait of all repetitions together (what
 * the chart shows).
 */
export function summarize(raw: any): any {
    const out: any = {};
    for (const scenario of ['s1', 's2', 's3', 's4', 's5', 's6']) {
        out[scenario] = {};
        // Reports from before S6 have no raw.s6.
        for (const [id, reps] of Object.entries<any[]>(raw[scenario] ?? {})) {
            const keys = Object.keys(reps[0]).filter(k => typeof reps[0][k] == 'number');
            const m: any = {};
            for (const k of keys) m[k] = median(reps.map(r => r[k]));
            m.violations = reps.reduce((s, r) => s + (r.violations ?? 0), 0);
            m.failed = reps.reduce((s, r) => s + (r.failed ?? 0), 0);
            // S2 and S6 read the server: calls per command, the median of each over the repetitions.
            if (reps[0].commandMix) {
                const names = [...new Set(reps.flatMap(r => Object.keys(r.commandMix)))];
                m.commandMix = Object.fromEntries(names.map(name => [name, median(reps.map(r => r.commandMix[name] ?? 0))]));
            }
            if (reps[0].waits) {
                // All waiting workers' waits of all repetitions, for the chart; same percentile as
                // the tables, so with one repetition chart and tables agree.
                const all = sortedCopy(reps.flatMap(r => r.waits));
                m.pooled = { n: all.length, p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99),
                    max: all.length ? all[all.length - 1] : NaN };
            }
            out[scenario][id] = m;
        }
    }
    if (raw.s2c) out.s2c = summarizeS2c(raw.s2c);
    if (raw.memory) {
        const s = raw.memory.samples;
        out.memory = { first: s[0], last: s[s.length - 1], growthBytes: s[s.length - 1].heapUsed - s[0].heapUsed,
            violations: raw.memory.violations, failed: raw.memory.failed, cyclesPerSec: raw.memory.cyclesPerSec };
    }
    return out;
}

/**
 * S2c per `topology:impl`: medians over the repetitions of every figure, element-wise for each
 * master's CPU and per command for the command mix; each master's share of the commands of all
 * repetitions together (medians per master would not add up to 100 %); violations and failures summed.
 */
export function summarizeS2c(raw: Record<string, any[]>): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [key, reps] of Object.entries(raw)) {
        const perIndex = (field: string) => reps[0][field].map((_: number, i: number) => median(reps.map(r => r[field][i])));
        const names = [...new Set(reps.flatMap(r => Object.keys(r.commandMix)))];
        out[key] = {
            reps: reps.length,
            cyclesPerSec: median(reps.map(r => r.cyclesPerSec)),
            commandsPerCycle: median(reps.map(r => r.commandsPerCycle)),
            commandMix: Object.fromEntries(names.map(name => [name, median(reps.map(r => r.commandMix[name] ?? 0))])),
            // Each repetition's shares weighted by its commands (every repetition runs as many cycles).
            shares: reps[0].shares.map((_: number, i: number) => reps.reduce((sum, r) => sum + r.shares[i] * r.commandsPerCycle, 0)
                / reps.reduce((sum, r) => sum + r.commandsPerCycle, 0)),
            clientCpuUs: median(reps.map(r => r.clientCpuUs)),
            cpuMastersUs: median(reps.map(r => r.cpuMastersUs)),
            cpuPerMasterUs: perIndex('cpuPerMasterUs'),
            cpuReplicasUs: reps[0].cpuReplicasUs == null ? null : median(reps.map(r => r.cpuReplicasUs)),
            violations: reps.reduce((s, r) => s + (r.violations ?? 0), 0),
            failed: reps.reduce((s, r) => s + (r.failed ?? 0), 0)
        };
    }
    return out;
}

/**
 * How many of a window's calls (INFO commandstats, by command) clients sent: each command's calls
 * times the share of them clients sent in the sample. Who sends a command is a property of the
 * implementation (EVALSHA only from clients, the GET inside its script only from the script), so
 * a sample shorter than the window tells it; a command the sample never saw is counted as sent by
 * clients, since a script's calls come every time it runs and so show up in any sample that saw it.
 *
 * @param commands  calls per command over the window (`config|resetstat` style names).
 * @param origins   the sample.
 */
export function clientSentCalls(commands: Record<string, number>, origins: CommandOrigins): number {
    let sent = 0;
    for (const [name, calls] of Object.entries(commands)) {
        const seen = origins.byName[name.split('|')[0]];
        sent += seen == null ? calls : calls * seen.client / (seen.client + seen.script);
    }
    return sent;
}

/** What the parent measured while one S6 phase's waiters waited, and when it released the key. */
export interface S6Window {
    queuedMs: number;
    reading: RedisReading;
    origins: CommandOrigins;
    releasedAt: number;
}

/** One S6 row (implementation × N): the parent's window and the processes' drain put together. */
export function s6Row(n: number, window: S6Window, parts: S6PhaseResult[]): any {
    const { reading, origins } = window;
    const seconds = reading.seconds;
    const commands = reading.perMaster[0];
    const cpu = reading.cpuMasters[0];
    const commandsPerWaiterSec = commands / n / seconds;
    const acquired = parts.reduce((sum, p) => sum + p.acquired, 0);
    const done = parts.map(p => p.lastDoneAt).filter((t): t is number => t != null);
    const first = parts.map(p => p.firstAcquiredAt).filter((t): t is number => t != null);
    const drainMs = done.length > 0 ? Math.max(...done) - window.releasedAt : NaN;
    return {
        n, windowSeconds: seconds, queuedMs: window.queuedMs,
        commandsPerWaiterSec,
        // Each command's calls in the window times the share MONITOR saw clients send (see clientSentCalls).
        roundTripsPerWaiterSec: clientSentCalls(reading.commands, origins) / n / seconds,
        origins,
        cpuPct: cpu / seconds * 100,
        cpuUsPerWaiterSec: cpu * 1e6 / (n * seconds),
        commandMix: Object.fromEntries(Object.entries(reading.commands).sort(([, a], [, b]) => b - a)
            .map(([name, calls]) => [name, calls / n / seconds])),
        drainMs, handoffsPerSec: acquired / (drainMs / 1000),
        firstHandoffMs: first.length > 0 ? Math.min(...first) - window.releasedAt : NaN,
        acquired,
        violations: parts.reduce((sum, p) => sum + p.violations, 0),
        failed: parts.reduce((sum, p) => sum + p.failed, 0)
    };
}

import { AcquiredEvent, ResourceAttempt } from './ChaosEvents';
import { ChaosRecording, PhaseRecord, ProcessIncident } from './ChaosController';
import { ChaosPlan, ChaosSettings, FaultName } from './ChaosPlan';

/** What the checker found in one phase, or summed over every phase of one fault. */
export interface FaultMetrics {
    fault: FaultName | 'baseline';
    /** Phases of this fault (one per round). */
    occurrences: number;
    /** Phases in which the fault could not be injected (a harness failure). */
    notInjected: number;
    /** Leases granted on the phase's keys. */
    acquisitions: number;
    /** Leases granted in the steady window (steadyMs) right before the fault. */
    acquisitionsBefore: number;
    /** Leases granted in the window of the same length from when the fault was over. */
    acquisitionsAfter: number;
    /** Max over keys (and occurrences) of the time from `recoveryFrom` to the key's first grant after it; null if a key had none. */
    recoveryMs: number | null;
    /** Keys (summed over occurrences) with no grant at all after `recoveryFrom`. */
    keysNeverRecovered: number;
    /** As recoveryMs, to the first write the resource ACCEPTED on each key. */
    writeRecoveryMs: number | null;
    keysNeverWrittenAgain: number;
    /** Write attempts that reached the resource, and how they ended. */
    writes: number;
    writesAccepted: number;
    /** Refused as stale, by cause (see the report's definitions). */
    refusedRegression: number;
    refusedLapse: number;
    refusedTakenWhileValid: number;
    refusedRace: number;
    /** Sections on one key interrupted at the resource by another token's write attempt (A…B…A). */
    overlapsAttempted: number;
    /** The same, counting accepted writes only: the resource's data saw two holders interleaved. */
    overlapsAccepted: number;
    /** Accepted writes whose fence was below the key's highest accepted fence (or equal, from another token). */
    outOfOrderAccepted: number;
    /** Grants whose fence is not above every fence granted on the key before the grant was requested. */
    fenceRegressions: number;
    /** Leases whose signal aborted, by LOCK_LOST reason. */
    lossesSignalled: Record<string, number>;
    /** Writes not made because the check right before them found the lease lost. */
    writesSkipped: number;
    /** Writes made while the lease said held although its own expiry (expiresAt) had passed. */
    unsignalledLapses: number;
    /** Releases that returned false (the lock was gone) although the lease had signalled nothing. */
    silentReleaseLosses: number;
    /** Failed operations, as `op:CODE`. */
    errors: Record<string, number>;
    /** For codes other than LOCK_TIMEOUT, CONNECTION_LOST and COMMAND_TIMEOUT: one message per `op:CODE`. */
    errorSamples: Record<string, string>;
    unhandledRejections: number;
    uncaughtExceptions: number;
    crashes: number;
    hangs: number;
    /** For `freeze-holder`: what the frozen holder's second write did after SIGCONT, per occurrence. */
    frozenHolder: string[];
}

/** One phase as recorded, with what the checker found in it. */
export interface PhaseResult extends PhaseRecord {
    metrics: FaultMetrics;
    incidents: ProcessIncident[];
    escaped: string[];
}

/** The checker's verdict on a run. */
export interface ChaosResult {
    settings: ChaosSettings;
    startedAt: string;
    durationMs: number;
    /** One entry per fault (and the baseline), summed over rounds. */
    faults: FaultMetrics[];
    phases: PhaseResult[];
    /** Every target missed, one line each; empty when the run passed. */
    misses: string[];
}

type Attempt = ResourceAttempt;
type Acquired = AcquiredEvent & { pid: number };

/**
 * Reads a chaos run's recording (the resource's history and the workers' events) and measures,
 * per fault, what the run is meant to show; then checks the targets. Every measure is defined in
 * the report ([[ChaosReport]]) and in the README.
 */
export class ChaosChecker {
    /**
     * Date.now() has a 1 ms resolution and a lease may compute `held` from a monotonic clock: a write
     * counts as made after the lease's expiry only when checked more than this past `expiresAt`.
     */
    public static readonly LAPSE_SLACK_MS = 2;
    /** Recovery target: the first grant on every key within this long after the server answers. */
    public static readonly RECOVERY_TARGET_MS = 1000;
    /** The fault that loses the lock's data: a lock granted while an older lease is valid is expected there. */
    public static readonly DATA_LOSS_FAULT: FaultName = 'kill9-empty';

    /**
     * Measures a run and checks its targets.
     *
     * @param recording what the controller recorded.
     * @returns metrics per phase and per fault, and the targets missed.
     */
    public static check(recording: ChaosRecording): ChaosResult {
        const phases = recording.phases;
        const keyPhase = new Map<string, number>();
        for (const phase of phases) for (const key of phase.keys) keyPhase.set(key, phase.index);
        const metrics = phases.map(p => ChaosChecker.emptyMetrics(p.fault));
        const phaseOfKey = (key: string, at: number) => keyPhase.get(key) ?? ChaosChecker.phaseAt(phases, at);

        // Grants, by token and by key.
        const byToken = new Map<string, Acquired>();
        const byKey = new Map<string, Acquired[]>();
        for (const e of recording.events) {
            if (e.type != 'acquired') continue;
            byToken.set(e.token, e);
            if (!byKey.has(e.key)) byKey.set(e.key, []);
            byKey.get(e.key)!.push(e);
        }

        // Fence regressions: a grant whose fence is not above every fence granted on its key before
        // this grant's successful attempt was even sent (so the order is certain, whatever the clocks).
        const regressions = new Set<string>();
        for (const [key, grants] of byKey) {
            grants.sort((a, b) => a.acquiredAt - b.acquiredAt);
            const prefixMax: number[] = [];
            let max = -Infinity;
            for (const g of grants) { max = Math.max(max, g.fence); prefixMax.push(max); }
            for (const g of grants) {
                const before = ChaosChecker.lastIndexBefore(grants, g.requestedAt);
                if (before >= 0 && g.fence <= prefixMax[before]) {
                    regressions.add(g.token);
                    metrics[phaseOfKey(key, g.acquiredAt)].fenceRegressions++;
                }
            }
        }

        // Worker events.
        for (const e of recording.events) {
            if (e.type == 'acquired') {
                metrics[phaseOfKey(e.key, e.acquiredAt)].acquisitions++;
            } else if (e.type == 'lost') {
                const m = metrics[phaseOfKey(e.key, e.at)];
                m.lossesSignalled[e.reason] = (m.lossesSignalled[e.reason] ?? 0) + 1;
            } else if (e.type == 'skipped') {
                metrics[phaseOfKey(e.key, e.at)].writesSkipped++;
            } else if (e.type == 'released') {
                if (e.stillHeld === false && !e.aborted) metrics[phaseOfKey(e.key, e.at)].silentReleaseLosses++;
            } else if (e.type == 'error') {
                const m = metrics[e.key ? phaseOfKey(e.key, e.at) : ChaosChecker.phaseAt(phases, e.at)];
                const name = e.op + ':' + e.code;
                m.errors[name] = (m.errors[name] ?? 0) + 1;
                if (e.message && m.errorSamples[name] == null) m.errorSamples[name] = e.message;
            } else if (e.type == 'unhandled') {
                metrics[ChaosChecker.phaseAt(phases, e.at)].unhandledRejections++;
            } else if (e.type == 'uncaught') {
                metrics[ChaosChecker.phaseAt(phases, e.at)].uncaughtExceptions++;
            }
        }
        for (const incident of recording.incidents) {
            const m = metrics[ChaosChecker.phaseAt(phases, incident.at)];
            if (incident.type == 'crash') m.crashes++;
            else if (incident.type == 'hang') m.hangs++;
            else m.notInjected++;
        }

        // The resource's history, replayed key by key in execution order.
        const top = new Map<string, { fence: number; token: string }>();
        const perKey = new Map<string, Attempt[]>();
        for (const a of recording.history) {
            const m = metrics[phaseOfKey(a.key, a.serverTime / 1000)];
            m.writes++;
            if (a.held && !a.aborted && a.checkedAt > a.expiresAt + ChaosChecker.LAPSE_SLACK_MS) m.unsignalledLapses++;
            const current = top.get(a.key);
            if (a.accepted) {
                m.writesAccepted++;
                if (current != null && (a.fence < current.fence || (a.fence == current.fence && a.token != current.token))) {
                    m.outOfOrderAccepted++;
                }
                if (current == null || a.fence >= current.fence) top.set(a.key, { fence: a.fence, token: a.token });
            } else {
                m[ChaosChecker.refusalCause(a, current, byToken, regressions)]++;
            }
            if (!perKey.has(a.key)) perKey.set(a.key, []);
            perKey.get(a.key)!.push(a);
        }
        for (const [key, attempts] of perKey) {
            const m = metrics[keyPhase.get(key) ?? 0];
            m.overlapsAttempted += ChaosChecker.interruptedSections(attempts);
            m.overlapsAccepted += ChaosChecker.interruptedSections(attempts.filter(a => a.accepted));
        }

        // Windows around each fault: before/after counts and recovery.
        const s = recording.settings;
        for (const phase of phases) {
            const m = metrics[phase.index];
            if (!phase.injected) m.notInjected++;
            if (phase.injectedAt == null || phase.answeredAt == null || phase.recoveryFrom == null) continue;
            const grants = phase.keys.flatMap(k => byKey.get(k) ?? []);
            m.acquisitionsBefore = grants.filter(g => g.acquiredAt >= phase.injectedAt! - s.steadyMs && g.acquiredAt < phase.injectedAt!).length;
            m.acquisitionsAfter = grants.filter(g => g.acquiredAt >= phase.answeredAt! && g.acquiredAt < phase.answeredAt! + s.steadyMs).length;
            let recovery = 0;
            let writeRecovery = 0;
            for (const key of phase.keys) {
                const first = (byKey.get(key) ?? []).find(g => g.acquiredAt >= phase.recoveryFrom!);
                if (first == null) m.keysNeverRecovered++;
                else recovery = Math.max(recovery, first.acquiredAt - phase.recoveryFrom);
                const written = recording.history.find(a => a.key == key && a.accepted && a.serverTime / 1000 >= phase.recoveryFrom!);
                if (written == null) m.keysNeverWrittenAgain++;
                else writeRecovery = Math.max(writeRecovery, Math.round(written.serverTime / 1000 - phase.recoveryFrom));
            }
            m.recoveryMs = m.keysNeverRecovered > 0 ? null : recovery;
            m.writeRecoveryMs = m.keysNeverWrittenAgain > 0 ? null : writeRecovery;
            if (phase.frozen != null) m.frozenHolder.push(ChaosChecker.frozenOutcome(phase, recording));
        }

        const results: PhaseResult[] = phases.map(p => ({
            ...p,
            metrics: metrics[p.index],
            incidents: recording.incidents.filter(i => ChaosChecker.phaseAt(phases, i.at) == p.index),
            escaped: recording.events
                .filter(e => (e.type == 'unhandled' || e.type == 'uncaught') && ChaosChecker.phaseAt(phases, e.at) == p.index)
                .map(e => (e as any).type + ': ' + (e as any).text)
        }));
        const faults = (['baseline', ...ChaosPlan.FAULTS] as (FaultName | 'baseline')[])
            .map(f => ChaosChecker.sum(f, results.filter(p => p.fault == f).map(p => p.metrics)));
        return {
            settings: s,
            startedAt: new Date(recording.startedAt).toISOString(),
            durationMs: recording.endedAt - recording.startedAt,
            faults,
            phases: results,
            misses: ChaosChecker.misses(faults)
        };
    }

    /** Checks the targets on the per-fault sums; one line per miss. */
    public static misses(faults: FaultMetrics[]): string[] {
        const misses: string[] = [];
        for (const f of faults) {
            const miss = (what: string, value: number | string, target: string) =>
                misses.push(`${f.fault}: ${what} ${value} (target ${target})`);
            if (f.notInjected > 0) miss('fault not injected / harness failures', f.notInjected, '0');
            if (f.fenceRegressions > 0) miss('fence regressions', f.fenceRegressions, '0');
            if (f.outOfOrderAccepted > 0) miss('writes accepted out of fence order', f.outOfOrderAccepted, '0');
            if (f.overlapsAccepted > 0) miss('overlaps accepted by the resource', f.overlapsAccepted, '0');
            if (f.unsignalledLapses > 0) miss('unsignalled lapses', f.unsignalledLapses, '0');
            if (f.refusedTakenWhileValid > 0 && f.fault != ChaosChecker.DATA_LOSS_FAULT) {
                miss('writes refused because the lock was granted while the lease was valid', f.refusedTakenWhileValid,
                    '0 while Redis keeps its data');
            }
            if (f.unhandledRejections > 0) miss('unhandled rejections', f.unhandledRejections, '0');
            if (f.uncaughtExceptions > 0) miss('uncaught exceptions', f.uncaughtExceptions, '0');
            if (f.crashes > 0) miss('crashes', f.crashes, '0');
            if (f.hangs > 0) miss('hangs', f.hangs, '0');
            if (f.fault != 'baseline') {
                if (f.recoveryMs == null) miss('keys with no grant after the fault', f.keysNeverRecovered, '0');
                else if (f.recoveryMs >= ChaosChecker.RECOVERY_TARGET_MS) miss('recovery (ms)', f.recoveryMs, '< 1000');
            }
            if (f.acquisitions == 0) miss('acquisitions', 0, '> 0');
        }
        return misses;
    }

    private static refusalCause(a: Attempt, current: { fence: number; token: string } | undefined,
        byToken: Map<string, Acquired>, regressions: Set<string>)
        : 'refusedRegression' | 'refusedLapse' | 'refusedTakenWhileValid' | 'refusedRace' {
        // The writer's own fence was already behind when it was granted: the lock's fault.
        if (regressions.has(a.token)) return 'refusedRegression';
        // The lease said held past its own expiry.
        if (a.held && !a.aborted && a.checkedAt > a.expiresAt + ChaosChecker.LAPSE_SLACK_MS) return 'refusedLapse';
        // The newer holder was granted the lock before this writer's check, while this lease was
        // still valid by its own clock: the lock let two holders in (Redis lost the lock).
        const newer = current != null ? byToken.get(current.token) : undefined;
        if (newer != null && newer.acquiredAt < a.checkedAt) return 'refusedTakenWhileValid';
        // Otherwise the takeover came after the check: the unavoidable check-then-write race.
        return 'refusedRace';
    }

    private static frozenOutcome(phase: PhaseRecord, recording: ChaosRecording): string {
        const frozen = phase.frozen!;
        const second = recording.history.find(a => a.token == frozen.token && a.step == 2);
        if (second != null) {
            const late = second.checkedAt - second.expiresAt;
            const state = late > ChaosChecker.LAPSE_SLACK_MS ? `lease said held ${late} ms past its expiry` : 'lease valid at the check';
            return `second write ${second.accepted ? 'ACCEPTED' : 'refused'} (${state})`;
        }
        const skipped = recording.events.find(e => e.type == 'skipped' && e.token == frozen.token);
        if (skipped != null) return 'second write skipped: the lease said lost before it';
        return 'no second write recorded';
    }

    /**
     * Sections (tokens) on one key between whose first and last write the resource executed a
     * write of another token.
     *
     * @param attempts  one key's attempts, in execution order.
     */
    private static interruptedSections(attempts: Attempt[]): number {
        const sections = new Map<string, { first: number; last: number; count: number }>();
        attempts.forEach((a, i) => {
            const s = sections.get(a.token);
            if (s == null) sections.set(a.token, { first: i, last: i, count: 1 });
            else { s.last = i; s.count++; }
        });
        let interrupted = 0;
        for (const s of sections.values()) {
            // Attempts strictly between the first and the last that are not this section's own.
            if (s.last - s.first + 1 > s.count) interrupted++;
        }
        return interrupted;
    }

    private static lastIndexBefore(sorted: Acquired[], time: number): number {
        let lo = 0;
        let hi = sorted.length - 1;
        let found = -1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (sorted[mid].acquiredAt < time) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found;
    }

    private static phaseAt(phases: PhaseRecord[], at: number): number {
        for (let i = phases.length - 1; i >= 0; i--) {
            if (at >= phases[i].startedAt) return i;
        }
        return 0;
    }

    private static emptyMetrics(fault: FaultName | 'baseline'): FaultMetrics {
        return {
            fault, occurrences: 1, notInjected: 0, acquisitions: 0, acquisitionsBefore: 0, acquisitionsAfter: 0,
            recoveryMs: null, keysNeverRecovered: 0, writeRecoveryMs: null, keysNeverWrittenAgain: 0,
            writes: 0, writesAccepted: 0, refusedRegression: 0, refusedLapse: 0, refusedTakenWhileValid: 0,
            refusedRace: 0, overlapsAttempted: 0, overlapsAccepted: 0, outOfOrderAccepted: 0, fenceRegressions: 0,
            lossesSignalled: {}, writesSkipped: 0, unsignalledLapses: 0, silentReleaseLosses: 0, errors: {}, errorSamples: {},
            unhandledRejections: 0, uncaughtExceptions: 0, crashes: 0, hangs: 0, frozenHolder: []
        };
    }

    private static sum(fault: FaultName | 'baseline', parts: FaultMetrics[]): FaultMetrics {
        const total = ChaosChecker.emptyMetrics(fault);
        total.occurrences = parts.length;
        const maxOrNull = (values: (number | null)[]) =>
            values.length == 0 || values.some(v => v == null) ? null : Math.max(...(values as number[]));
        for (const p of parts) {
            for (const name of Object.keys(total) as (keyof FaultMetrics)[]) {
                const value = p[name];
                if (name == 'fault' || name == 'occurrences' || name == 'recoveryMs' || name == 'writeRecoveryMs') continue;
                if (typeof value == 'number') (total as any)[name] += value;
                else if (Array.isArray(value)) (total as any)[name].push(...value);
                else if (name == 'errorSamples') Object.assign(total.errorSamples, { ...(value as object), ...total.errorSamples });
                else {
                    const into = (total as any)[name] as Record<string, number>;
                    for (const [k, v] of Object.entries(value as Record<string, number>)) into[k] = (into[k] ?? 0) + v;
                }
            }
        }
        total.recoveryMs = fault == 'baseline' ? null : maxOrNull(parts.map(p => p.recoveryMs));
        total.writeRecoveryMs = fault == 'baseline' ? null : maxOrNull(parts.map(p => p.writeRecoveryMs));
        return total;
    }
}

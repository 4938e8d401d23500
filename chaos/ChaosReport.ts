import { ChaosChecker, ChaosResult, FaultMetrics } from './ChaosChecker';
import { ChaosPlan } from './ChaosPlan';

/** Renders a checked chaos run as markdown (a table per fault, then the definitions). */
export class ChaosReport {
    /** What every row of the table means; also in the README's "Chaos suite" section. */
    public static readonly DEFINITIONS = [
        'Times are `Date.now()` of the processes involved (one machine, one clock); the resource orders the writes.',
        '**grants before / after**: `acquire()` calls that resolved in the steady window (`steadyMs`) right before the fault, '
        + 'and in the window of the same length from when the fault was over (the server answered a PING on a fresh connection '
        + 'again; for CLIENT KILL, when the kill returned; for a frozen holder, its SIGCONT).',
        '**recovery**: per key of the phase, from `recoveryFrom` to the first grant on the key after it; the max over keys '
        + '(and rounds). `recoveryFrom` is when the server answered again; for a frozen holder, the expiry of its lease (the '
        + 'earliest moment another worker may take the key). Target < 1000 ms. *to an accepted write*: the same, to the first '
        + 'write the resource accepted (informational; "never" when a key had none).',
        '**fence regressions**: grants whose fence is ≤ the fence of a grant on the same key that resolved before this grant\'s '
        + 'successful attempt was sent (so their order is certain). Target 0.',
        '**accepted out of fence order**: replaying the resource\'s history per key, accepted writes whose fence is below the '
        + 'highest accepted, or equal to it from another token. 0 unless the resource script is wrong.',
        '**overlaps**: critical sections (tokens) on one key between whose first and last write the resource executed a write '
        + 'of another token (A…B…A). *attempted* counts every write: the lock alone did not keep the sections apart (a paused '
        + 'holder, a lost lock); *accepted* counts accepted writes only: the resource\'s data saw two holders interleaved. '
        + 'Target 0 accepted.',
        '**stale writes refused**, each counted under the first cause that applies: (1) *own fence regressed*: the writer\'s '
        + 'grant was a fence regression; (2) *lease said held past its expiry*: the lease said `held` (signal not aborted) '
        + 'when checked right before the write, although the check came more than ' + ChaosChecker.LAPSE_SLACK_MS
        + ' ms after its own `expiresAt`; (3) *lock granted while lease valid*: the holder of the fence that refused the write '
        + 'had been granted the lock before the writer\'s check, while the writer\'s lease was valid by its own clock, so the '
        + 'lock let two holders in (expected only when Redis loses the lock: kill9-empty; target 0 elsewhere); (4) '
        + '*check-then-write race*: the newer holder was granted the lock after the writer\'s check: no lease can signal that '
        + 'in time, and the fence refused the write as designed.',
        '**unsignalled lapses**: writes (accepted or refused) made while the lease said `held` and its signal had not aborted, '
        + 'although the check came more than ' + ChaosChecker.LAPSE_SLACK_MS + ' ms after the lease\'s own `expiresAt`: '
        + 'the lease had lapsed and did not say so. Target 0. A lease cannot know of a loss before its expiry when Redis '
        + 'loses its data; such writes are under (3), not here.',
        '**losses signalled**: leases whose `signal` aborted, by LOCK_LOST reason. **writes skipped**: the check right before '
        + 'a write found `held` false or the signal aborted, so the worker did not write.',
        '**releases that found the lock gone, unsignalled**: `release()` returned false although the signal had not aborted '
        + '(informational).',
        '**errors**: failed operations as `op:code` (informational). **unhandled rejections / uncaught exceptions**: caught by '
        + 'process handlers in the workers. **crashes**: a worker process that exited unexpectedly or with a non-zero code. '
        + '**hangs**: no heartbeat for 5 s outside a deliberate SIGSTOP, a worker stuck in one operation longer than '
        + 'acquireTimeout + 2 × commandTimeout + 4 s (time stopped excluded), or a process not finished that long + 2 s after '
        + 'the stop request. Targets 0.'
    ];

    /**
     * Renders a result as markdown.
     *
     * @param result    the checker's result.
     * @returns the markdown text.
     */
    public static markdown(result: ChaosResult): string {
        const s = result.settings;
        const lines: string[] = [];
        lines.push(`# Chaos run (${s.mode})`, '');
        lines.push(`Started ${result.startedAt}, took ${(result.durationMs / 1000).toFixed(1)} s. `
            + `${s.processes} worker processes × ${s.workersPerProcess} workers on ${s.keysPerPhase} fresh keys per phase; `
            + `leases with the watchdog, TTL ${s.ttl} ms, acquire timeout ${s.acquireTimeout} ms, `
            + `\`options.command_timeout\` ${s.commandTimeout} ms; two fenced writes ${s.holdMs} ms apart per section. `
            + `${s.rounds} round(s) of every fault; steady ${s.steadyMs} ms before and after each; `
            + `outages ${s.outageMs} ms, kill -9 downtime ${s.downMs} ms.`, '');
        lines.push(result.misses.length == 0 ? '**All targets met.**' : `**${result.misses.length} target(s) missed:**`);
        for (const miss of result.misses) lines.push(`- ${miss}`);
        lines.push('', '## Per fault', '');
        lines.push(...ChaosReport.table(result.faults));
        const samples = result.faults.flatMap(f => Object.entries(f.errorSamples).map(([k, v]) => `- \`${f.fault}\` ${k}: ${v}`));
        if (samples.length > 0) lines.push('', '## Unexpected error codes (one message each)', '', ...samples);
        lines.push('', '## Faults', '');
        for (const f of result.faults) lines.push(`- \`${f.fault}\`: ${ChaosPlan.DESCRIPTIONS[f.fault]}`);
        lines.push('', '## Phases', '');
        lines.push('| # | round | fault | what happened | grants before/after | recovery ms | regressions | lapses | refused | incidents |');
        lines.push('|---|---|---|---|---|---|---|---|---|---|');
        for (const p of result.phases) {
            const m = p.metrics;
            const incidents = [...p.incidents.map(i => `${i.type}: ${i.text}`), ...p.escaped.map(e => e.split('\n')[0])];
            lines.push(`| ${p.index} | ${p.round} | ${p.fault} | ${cell(p.note || '–')} | `
                + `${p.injectedAt == null ? '–' : m.acquisitionsBefore + ' / ' + m.acquisitionsAfter} | `
                + `${p.injectedAt == null ? '–' : m.recoveryMs ?? 'never'} | ${m.fenceRegressions} | ${m.unsignalledLapses} | `
                + `${refused(m)} | ${cell(incidents.join('; ') || '–')} |`);
        }
        lines.push('', '## Definitions', '');
        for (const d of ChaosReport.DEFINITIONS) lines.push(`- ${d}`);
        lines.push('');
        return lines.join('\n');
    }

    /**
     * The per-fault table: one column per fault, one row per measure.
     *
     * @param faults    metrics summed per fault.
     * @returns markdown lines.
     */
    public static table(faults: FaultMetrics[]): string[] {
        const rows: [string, (m: FaultMetrics) => string][] = [
            ['occurrences', m => String(m.occurrences)],
            ['grants (all / before / after)', m => m.fault == 'baseline'
                ? `${m.acquisitions} / – / –` : `${m.acquisitions} / ${m.acquisitionsBefore} / ${m.acquisitionsAfter}`],
            ['recovery, max ms (target < 1000)', m => m.fault == 'baseline' ? '–' : m.recoveryMs == null
                ? `never on ${m.keysNeverRecovered} key(s)` : String(m.recoveryMs)],
            ['recovery to an accepted write, max ms', m => m.fault == 'baseline' ? '–' : m.writeRecoveryMs == null
                ? `never on ${m.keysNeverWrittenAgain} key(s)` : String(m.writeRecoveryMs)],
            ['writes (attempted / accepted)', m => `${m.writes} / ${m.writesAccepted}`],
            ['stale writes refused', m => String(refused(m))],
            ['· own fence regressed', m => String(m.refusedRegression)],
            ['· lease said held past its expiry', m => String(m.refusedLapse)],
            ['· lock granted while lease valid', m => String(m.refusedTakenWhileValid)],
            ['· check-then-write race', m => String(m.refusedRace)],
            ['overlaps (attempted / accepted; target 0 accepted)', m => `${m.overlapsAttempted} / ${m.overlapsAccepted}`],
            ['writes accepted out of fence order (target 0)', m => String(m.outOfOrderAccepted)],
            ['fence regressions (target 0)', m => String(m.fenceRegressions)],
            ['losses signalled', m => counts(m.lossesSignalled)],
            ['writes skipped (lease said lost)', m => String(m.writesSkipped)],
            ['unsignalled lapses (target 0)', m => String(m.unsignalledLapses)],
            ['releases finding the lock gone, unsignalled', m => String(m.silentReleaseLosses)],
            ['errors', m => counts(m.errors)],
            ['unhandled rejections / uncaught (target 0)', m => `${m.unhandledRejections} / ${m.uncaughtExceptions}`],
            ['crashes / hangs (target 0)', m => `${m.crashes} / ${m.hangs}`],
            ['frozen holder\'s second write', m => m.frozenHolder.length == 0 ? '–' : m.frozenHolder.join('<br>')],
            ['targets', m => ChaosChecker.misses([m]).length == 0 ? 'met' : '**missed**']
        ];
        const lines = ['| | ' + faults.map(f => '`' + f.fault + '`').join(' | ') + ' |',
            '|---|' + faults.map(() => '---').join('|') + '|'];
        for (const [name, value] of rows) lines.push(`| ${name} | ${faults.map(f => cell(value(f))).join(' | ')} |`);
        return lines;
    }
}

function refused(m: FaultMetrics): number {
    return m.refusedRegression + m.refusedLapse + m.refusedTakenWhileValid + m.refusedRace;
}

function counts(record: Record<string, number>): string {
    const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
    return entries.length == 0 ? '0' : entries.map(([k, v]) => `${k} ${v}`).join('<br>');
}

function cell(text: string): string {
    return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

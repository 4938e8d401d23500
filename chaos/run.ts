// npm run chaos [-- --short] [-- --recording <file>]
// Runs the chaos suite (see README "Chaos suite"): faults injected into the Redis under test while
// worker processes contend for leases and write to a fenced resource; then checks the targets,
// prints the per-fault table and writes chaos/results/<mode>.{md,json}.
// Exit codes: 0 every target met, 1 a target missed, 2 the harness itself failed.
import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

import { ChaosChecker } from './ChaosChecker';
import { ChaosController } from './ChaosController';
import { ChaosPlan } from './ChaosPlan';
import { ChaosReport } from './ChaosReport';

const RESULTS = resolve(__dirname, '..', '..', 'chaos', 'results');

async function main(): Promise<number> {
    const args = process.argv.slice(2);
    const settings = args.includes('--short') ? ChaosPlan.short() : ChaosPlan.long();
    const t0 = Date.now();
    const log = (line: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
    log(`chaos run (${settings.mode}): ${settings.rounds} round(s) of ${ChaosPlan.FAULTS.join(', ')}`);

    const recording = await new ChaosController(settings, log).run();
    log(`run finished: ${recording.events.length} worker events, ${recording.history.length} write attempts; checking`);
    const result = ChaosChecker.check(recording);
    // Every raw event and write attempt, for a post-mortem (tens of MB for the long run).
    const recordingFile = args.indexOf('--recording') >= 0 ? args[args.indexOf('--recording') + 1] : undefined;
    if (recordingFile) writeFileSync(recordingFile, JSON.stringify(recording));

    mkdirSync(RESULTS, { recursive: true });
    const markdown = ChaosReport.markdown(result);
    writeFileSync(join(RESULTS, settings.mode + '.md'), markdown);
    writeFileSync(join(RESULTS, settings.mode + '.json'), JSON.stringify(result, null, 2) + '\n');

    process.stdout.write('\n' + ChaosReport.table(result.faults).join('\n') + '\n\n');
    if (result.misses.length == 0) {
        log('all targets met');
    } else {
        log(`${result.misses.length} target(s) missed:`);
        for (const miss of result.misses) process.stdout.write('  - ' + miss + '\n');
    }
    log(`results: ${join(RESULTS, settings.mode + '.md')} and .json`);
    return result.misses.length == 0 ? 0 : 1;
}

// Interrupted (Ctrl-C, or the test's teardown): exit through the 'exit' handlers, which kill the
// Redis servers and worker processes this run started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(code => process.exit(code), err => {
    process.stderr.write('chaos harness failed: ' + (err?.stack ?? err) + '\n');
    process.exit(2);
});

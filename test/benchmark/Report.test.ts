import { assert } from 'chai';
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

import { IMPLS } from '../../benchmark/impl';
import { contentionLine, renderMarkdown, renderSvg } from '../../benchmark/report';
import { Acquisition, clientSentCalls, contentionStats, s6Row, summarize } from '../../benchmark/stats';

// obj/test/benchmark/Report.test.js → the repository root.
const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * One contention run of `workers` workers on one key: each hand-off goes to the next worker
 * (round robin), the waiting worker having asked `wait(i)` ms before it got the lock.
 */
function contention(workers: number, handoffs: number, wait: (i: number) => number) {
    const start = 1_000_000;
    const events: Acquisition[] = [];
    for (let i = 0; i < handoffs; i++) {
        const acquiredAt = start + 1 + i * 2;
        events.push({ worker: i % workers, requestedAt: acquiredAt - wait(i), acquiredAt, releasedAt: acquiredAt + 1 });
    }
    return { ...contentionStats(events, start, start + handoffs * 2 + 1, workers), violations: 0, failed: 0 };
}

/** A report as run.ts builds it, from raw results (one entry per repetition). */
function report(mode: 'quick' | 'full', raw: any, extra: any = {}): any {
    return {
        mode, date: '2026-11-25T10:00:00.000Z',
        sizes: { reps: raw.reps, s1: 400, s1Warm: 100, s2: 2000, s2Warm: 500, s3Ms: 500, memCycles: 20000, s5: 5000,
            holdMs: 1, tunedDelay: 10, ttl: 10000, timeout: 10000 },
        machine: { cores: 2, cpu: 'test', memoryGiB: 1, node: 'v20', redis: '7.0.15', redisEndpoint: 'throwaway loopback server' },
        versions: {},
        impls: IMPLS.map(i => ({ id: i.id, label: i.label, waiting: i.waiting(), tuned: i.waiting(10) })),
        skipped: [], notes: [],
        raw, summary: summarize(raw), ...extra
    };
}

/**
 * One S6 row as runS6 records it: `n` waiters, a 2 s window in which Redis ran `commands` commands
 * (a quarter of them EVALSHA, which MONITOR saw clients send, the rest ZADD inside the scripts) and
 * spent `cpuSeconds`, then a drain of `drainMs`.
 */
function s6Run(n: number, commands: number, cpuSeconds: number, drainMs: number, violations = 0): any {
    const releasedAt = 5_000_000;
    return s6Row(n, {
        queuedMs: 12, releasedAt,
        reading: { commands: { zadd: commands * 0.75, evalsha: commands * 0.25 }, perMaster: [commands], cpuMasters: [cpuSeconds],
            cpuReplicas: [], seconds: 2 },
        origins: { clientCommands: 10, scriptCalls: 30, byName: { evalsha: { client: 10, script: 0 }, zadd: { client: 0, script: 30 } }, seconds: 0.5 }
    }, [
        { acquired: n - Math.floor(n / 2), failed: 0, violations, firstAcquiredAt: releasedAt + 3, lastDoneAt: releasedAt + drainMs / 2 },
        { acquired: Math.floor(n / 2), failed: 0, violations: 0, firstAcquiredAt: releasedAt + 4, lastDoneAt: releasedAt + drainMs }
    ]);
}

/** What run.ts writes about S6 beside its rows. */
const S6_META = {
    seconds: 96.4, ns: [10, 100, 1000], procs: 4, arrivalMs: 500, sampleMs: 500, settleMs: 250, windowMs: 2000, perWaiterN: 10, reps: 1,
    sampleCommands: 20, sampleLimitMs: 3000, holdTtl: 60000, ttl: 10000, timeout: 120000, leftOut: 'floor-io (the same polling as floor-nr)',
    variants: [
        { id: 'ours', label: 'ours, RedisLock default waiting', waiting: 'default' },
        { id: 'redlock-universal', label: 'redlock-universal (node-redis 6)', waiting: 'retry every 100 ms' },
        { id: 'ours-per-waiter', label: 'ours, one component per waiter', waiting: 'default' }
    ]
};

/** Raw results of `reps` repetitions: S1/S2 for every implementation, S3 1 × 8 for every contender. */
function rawResults(reps: number, s1: (id: string) => number, s3Wait: (id: string, rep: number) => (i: number) => number): any {
    const raw: any = { reps, s1: {}, s2: {}, s3: {}, s4: {}, s5: {}, memory: null };
    for (const spec of IMPLS) {
        for (let rep = 0; rep < reps; rep++) {
            (raw.s1[spec.id] ??= []).push({ cyclesPerSec: s1(spec.id), p50: 0.4, p99: 3, violations: 0, failed: 0 });
            (raw.s2[spec.id] ??= []).push({ cyclesPerSec: 2 * s1(spec.id), violations: 0, failed: 0 });
            if (spec.id != 'floor-io') (raw.s3['1x8:' + spec.id] ??= []).push(contention(8, 200, s3Wait(spec.id, rep)));
        }
    }
    return raw;
}

/** Every <text> of an SVG with the horizontal extent its characters take, at `emPerChar` per character. */
function textExtents(svg: string, emPerChar: number): { text: string; from: number; to: number }[] {
    const rootSize = Number(/<svg [^>]*font-size="([\d.]+)"/.exec(svg)![1]);
    const out: { text: string; from: number; to: number }[] = [];
    for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
        const attr = (name: string) => new RegExp(name + '="([^"]*)"').exec(m[1])?.[1];
        const text = m[2].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        const width = text.length * Number(attr('font-size') ?? rootSize) * emPerChar;
        const x = Number(attr('x'));
        const anchor = attr('text-anchor') ?? 'start';
        const from = anchor == 'end' ? x - width : anchor == 'middle' ? x - width / 2 : x;
        out.push({ text, from, to: from + width });
    }
    return out;
}

/** Asserts that every text of the chart lies inside its width. */
function assertNothingClipped(svg: string): void {
    const width = Number(/<svg [^>]*width="([\d.]+)"/.exec(svg)![1]);
    const texts = textExtents(svg, 0.6);
    assert.isAbove(texts.length, 10);
    for (const t of texts) {
        assert.isAtLeast(t.from, 0, `"${t.text}" starts left of the chart`);
        assert.isAtMost(t.to, width, `"${t.text}" runs past the right edge (${t.to.toFixed(0)} > ${width})`);
    }
}

suite('benchmark report', () => {
    test('the chart of the committed full run keeps every label inside its width and says its percentiles are pooled', () => {
        const full = JSON.parse(readFileSync(join(ROOT, 'benchmark', 'results', 'full.json'), 'utf8'));
        const svg = renderSvg(full);
        assertNothingClipped(svg);
        assert.include(svg, 'all 3 repetitions pooled together');
        assert.include(svg, 'the median of the repetitions');
        // The committed chart is the one this renderer draws from the committed JSON.
        assert.equal(readFileSync(join(ROOT, 'benchmark', 'results', 'full.svg'), 'utf8'), svg);
    });

    test('long waits and large counts stay inside the chart too', () => {
        const raw = rawResults(3, () => 1000, id => (i: number) => id == 'ours' ? 5 + i % 7 : 9000 + i * 3);
        const svg = renderSvg(report('full', raw));
        assertNothingClipped(svg);
        assert.notInclude(svg, 'NaN');
    });

    test('the chart shows pooled percentiles and the tables medians of repetitions, and both say so', () => {
        // Three repetitions of ours whose waits differ: 10, 20 and 60 ms, all waits alike within one.
        const waits = [10, 20, 60];
        const raw = rawResults(3, () => 1000, (id, rep) => () => id == 'ours' ? waits[rep] : 500);
        const r = report('full', raw);
        const ours = r.summary.s3['1x8:ours'];
        assert.equal(ours.waitP99, 20, 'table: median of the repetitions\' p99 (10, 20, 60)');
        assert.equal(ours.pooled.p99, 60, 'chart: p99 of all waits pooled');
        const md = renderMarkdown(r);
        const svg = renderSvg(r);
        assert.match(md, /\| ours, RedisLock default waiting \| default \| 1 proc × 8 \| [^|]+ \| 100 % \| 20\.0 \/ 20\.0 \/ 20\.0 \|/);
        assert.include(md, 'the chart instead pools every wait of all repetitions');
        assert.include(svg, 'p99 60.0');
        assert.include(svg, 'pooled together');
    });

    test('with one repetition the chart and the tables show the same percentiles', () => {
        const raw = rawResults(1, () => 1000, () => (i: number) => 1 + i);
        const r = report('quick', raw);
        for (const [id, m] of Object.entries<any>(r.summary.s3)) {
            assert.equal(m.pooled.p50, m.waitP50, id);
            assert.equal(m.pooled.p99, m.waitP99, id);
        }
        assert.include(renderSvg(r), 'Percentiles of all waits of the run');
    });

    test('a quick run shows speed comparisons for information and checks exclusion and hand-off', () => {
        // ours slower than every peer: in a quick run that is noise, not a failed target.
        const raw = rawResults(1, id => id == 'ours' ? 500 : 3000, id => () => id == 'ours' ? 50 : 100);
        const md = renderMarkdown(report('quick', raw, { notes: ['Quick run: a smoke check.'] }));
        assert.notInclude(md, 'NaN');
        assert.notInclude(md, '- [ ]', md);
        assert.include(md, '- (info) S1 ours ≥ 0.95× node-redis floor: 0.17×');
        assert.include(md, '- (info) S3 1 proc × 8 waiting worker\'s wait p50 ≥ 10× better than every peer');
        assert.include(md, '- [x] S3 1 proc × 8 share to another worker ≥ 80 %: 100 %');
        assert.include(md, '- [x] 0 mutual-exclusion violations everywhere: 0');
        assert.include(md, 'Quick run: a smoke check.');

        // The same figures in a full run are failures.
        const full = renderMarkdown(report('full', rawResults(3, id => id == 'ours' ? 500 : 3000, id => () => id == 'ours' ? 50 : 100)));
        assert.include(full, '- [ ] S1 ours ≥ 0.95× node-redis floor: 0.17×');
        assert.include(full, '- [ ] S3 1 proc × 8 waiting worker\'s wait p50 ≥ 10× better than every peer');

        // A violation fails a quick run too.
        raw.s3['1x8:ours'][0].violations = 1;
        assert.include(renderMarkdown(report('quick', raw)), '- [ ] 0 mutual-exclusion violations everywhere: 1');
    });

    test('S2c: a row per implementation and topology with medians, the cluster / node ratio, and each repetition', () => {
        // What runS2c records per run: S2's result, the servers' cost per cycle, the keys per master.
        // The table's shares pool the repetitions' commands: (36 + 30 + 36) / 3 = 34 % on the first master.
        const run = (cyclesPerSec: number, cluster: boolean, violations = 0, shares = [0.36, 0.32, 0.32]) => ({
            cyclesPerSec, violations, failed: 0, clientCpuUs: cluster ? 50 : 20,
            commandsPerCycle: 12, commandMix: { evalsha: 2, get: 3, set: 2, del: 1 },
            shares: cluster ? shares : [1], cpuMastersUs: cluster ? 24 : 16,
            cpuPerMasterUs: cluster ? [8.7, 7.7, 7.6] : [16], cpuReplicasUs: cluster ? 5.5 : null,
            keysPerShard: cluster ? [25, 21, 18] : [64]
        });
        const raw = {
            s1: {}, s2: {}, s3: {}, s4: {}, s5: {}, memory: null,
            s2c: {
                'node:ours': [run(30000, false), run(34000, false), run(32000, false)],
                'cluster:ours': [run(16000, true), run(17000, true, 1, [0.30, 0.35, 0.35]), run(15000, true)]
            }
        };
        const r = report('full', { ...raw, reps: 3 }, { file: 's2c', args: ['--only', 's2c'], s2c: { seconds: 41.2, cluster: { masters: 3, replicasPerMaster: 1 } } });
        const md = renderMarkdown(r);
        assert.notInclude(md, 'NaN');
        assert.include(md, '### S2c: S2 on one server and on a 3-shard cluster');
        assert.include(md, '3 masters with 1 replica each attached');
        assert.include(md, '| ours, RedisLock default waiting | one server | 32,000 | 30,000, 34,000, 32,000 | 1× | 12.00 | 16.0; no replica | 100 % | 20.0 |');
        assert.include(md, '| ours, RedisLock default waiting | 3-shard cluster | 16,000 | 16,000, 17,000, 15,000 | 0.50× | 12.00 | 24.0; 5.5 | 34/33/33 % | 50.0 |');
        assert.include(md, 'commands per cycle (median): get 3.00, evalsha 2.00, set 2.00, del 1.00.');
        assert.include(md, 'each master\'s CPU per cycle 8.7/7.7/7.6 µs; by repetition, each master\'s share 36/32/32 %, 30/35/35 %, ' +
            '36/32/32 % and its keys of the 64 25/21/18, 25/21/18, 25/21/18');
        assert.include(md, 'S2c took 41 s');
        assert.include(md, '- [ ] 0 mutual-exclusion violations everywhere: 1');
        // Nothing to compare ours with in this run: no empty ratio tables; the files are the run's own.
        assert.notInclude(md, '### Ratios');
        assert.include(md, '`benchmark/results/s2c.{md,json}`, this one from `npm run bench -- --only s2c`.');
    });

    test('what a run could not measure shows as –, never NaN, and is not counted against us', () => {
        const raw = rawResults(1, () => 1000, id => () => id == 'ours' ? 5 : 100);
        // redlock handed the lock to no other worker; the 4 × 2 layout of ours got one acquisition.
        raw.s3['1x8:redlock'] = [contention(8, 200, () => 100)];
        raw.s3['1x8:redlock'][0].waits = [];
        Object.assign(raw.s3['1x8:redlock'][0], { shareToOther: 0, waitP50: NaN, waitP99: NaN, waitMax: NaN });
        raw.s3['4x2:ours'] = [{ ...contention(8, 1, () => 300) }];
        const r = report('full', raw);
        const md = renderMarkdown(r);
        const svg = renderSvg(r);
        assert.notInclude(md + svg, 'NaN');
        assert.include(md, '- [x] S3 1 proc × 8 waiting worker\'s wait p50 ≥ 10× better than every peer: ours 5.00 ms, best other 100 ms');
        assert.include(md, '- [ ] S3 4 procs × 2 share to another worker ≥ 80 %: – (not measured: 1 acquisitions in the window)');
        assert.equal(contentionLine({ handoffsPerSec: 0, shareToOther: NaN, waitP50: NaN }), '0/s – p50 –');
        assert.equal(contentionLine({ handoffsPerSec: 412.4, shareToOther: 1, waitP50: 14.66 }), '412/s 100% p50 14.7ms');
    });

    test('S2 shows commands and Redis CPU per cycle, and ours / each peer on Redis CPU', () => {
        const raw = rawResults(1, () => 1000, () => () => 5);
        for (const [id, reps] of Object.entries<any[]>(raw.s2)) {
            for (const r of reps) Object.assign(r, id == 'ours'
                ? { commandsPerCycle: 10, redisCpuUs: 15.4, commandMix: { evalsha: 2, set: 2, get: 3, del: 2, publish: 1 } }
                : { commandsPerCycle: 4, redisCpuUs: 7.7, commandMix: { set: 1, evalsha: 1, get: 1, del: 1 } });
        }
        const md = renderMarkdown(report('full', raw));
        assert.notInclude(md, 'NaN');
        assert.include(md, '| impl | S1 cycles/s | S1 p50 / p99 ms | S2 cycles/s | S2 commands per cycle | S2 Redis CPU µs per cycle | violations | failed acquires |');
        assert.include(md, '| ours, RedisLock default waiting | 1,000 | 0.40 / 3.00 | 2,000 | 10.00 | 15.4 | 0 | 0 |');
        assert.include(md, '| redlock-universal (node-redis 6) | 1,000 | 0.40 / 3.00 | 2,000 | 4.00 | 7.7 | 0 | 0 |');
        assert.include(md, '- ours, RedisLock default waiting: get 3.00, evalsha 2.00, set 2.00, del 2.00, publish 1.00.');
        assert.match(md, /\| S2 Redis CPU per cycle ↓ \| 2\.00× \| 2\.00× \|/);

        // A report from before these columns shows them as –.
        const old = rawResults(1, () => 1000, () => () => 5);
        assert.include(renderMarkdown(report('full', old)), '| ours, RedisLock default waiting | 1,000 | 0.40 / 3.00 | 2,000 | – | – | 0 | 0 |');
    });

    test('S6 row: commands, round trips (the MONITOR share of client commands), CPU per waiter-second, drain', () => {
        // 100 waiters, 2 s, 400 commands of which a quarter from clients, 0.01 s of CPU, drained in 250 ms.
        const r = s6Run(100, 400, 0.01, 250);
        assert.closeTo(r.commandsPerWaiterSec, 2, 1e-9);
        assert.closeTo(r.roundTripsPerWaiterSec, 0.5, 1e-9);
        assert.closeTo(r.cpuPct, 0.5, 1e-9);
        assert.closeTo(r.cpuUsPerWaiterSec, 50, 1e-9);
        assert.closeTo(r.commandMix.zadd, 1.5, 1e-9);
        assert.equal(r.drainMs, 250);
        assert.equal(r.handoffsPerSec, 400);
        assert.equal(r.firstHandoffMs, 3);
        assert.equal(r.acquired, 100);

        // No waiter done (every one failed): no drain, shown as –.
        const none = s6Row(10, { queuedMs: 0, releasedAt: 0, origins: { clientCommands: 0, scriptCalls: 0, byName: {}, seconds: 0.5 },
            reading: { commands: {}, perMaster: [0], cpuMasters: [0], cpuReplicas: [], seconds: 2 } },
        [{ acquired: 0, failed: 10, violations: 0, firstAcquiredAt: null, lastDoneAt: null }]);
        assert.isNaN(none.drainMs);
        assert.isNaN(none.handoffsPerSec);
    });

    test('S6 round trips: each command\'s calls times the share clients sent in the MONITOR sample; unseen ones count as sent', () => {
        const origins = { clientCommands: 6, scriptCalls: 40, seconds: 0.5, byName: {
            evalsha: { client: 4, script: 0 }, zadd: { client: 0, script: 36 }, get: { client: 2, script: 4 } } };
        // 100 EVALSHA, 900 ZADD from scripts, 30 GET a third of which clients sent, 5 PING and a CLIENT SETNAME the sample missed.
        const sent = clientSentCalls({ evalsha: 100, zadd: 900, get: 30, ping: 5, 'client|setname': 1 }, origins);
        assert.closeTo(sent, 100 + 10 + 5 + 1, 1e-9);
    });

    test('S6: a row per implementation and N, how it was measured, the command mix, and a chart section', () => {
        const raw = rawResults(1, () => 1000, id => () => id == 'ours' ? 5 : 100);
        raw.s6 = {
            'ours:10': [s6Run(10, 170, 0.004, 25)], 'ours:100': [s6Run(100, 520, 0.006, 70)], 'ours:1000': [s6Run(1000, 4000, 0.012, 1100)],
            'redlock-universal:10': [s6Run(10, 200, 0.006, 390)], 'redlock-universal:100': [s6Run(100, 2000, 0.008, 2800)],
            'redlock-universal:1000': [s6Run(1000, 19600, 0.022, 21600)],
            'ours-per-waiter:10': [s6Run(10, 370, 0.008, 40, 1)]
        };
        const r = report('full', raw, { s6: S6_META });
        const md = renderMarkdown(r);
        assert.notInclude(md, 'NaN');
        assert.include(md, '### S6: N waiters on one held key (N = 10, 100, 1,000)');
        assert.include(md, 'from 4 worker processes, one lock component each');
        assert.include(md, 'ours also with one component per waiter, N = 10');
        assert.include(md, 'MONITOR marks them `lua`, so the sample tells, for each command, which share of its calls clients sent');
        assert.include(md, 'Each waiter asks at a random time within 500 ms of the phase\'s start');
        assert.include(md, '| impl | waiting | N | commands / waiter / s | round trips / waiter / s | Redis CPU % | Redis CPU µs per waiter-second | drain ms | hand-offs/s | violations | failed |');
        // 4,000 commands over 2 s for 1,000 waiters: 2 per waiter per second, a quarter of them round trips.
        assert.include(md, '| ours, RedisLock default waiting | default | 1,000 | 2.00 | 0.50 | 0.6 | 6.00 | 1,100 | 909 | 0 | 0 |');
        assert.include(md, '| redlock-universal (node-redis 6) | retry every 100 ms | 10 | 10.0 | 2.50 | 0.3 | 300 | 390 | 26 | 0 | 0 |');
        assert.include(md, '| ours, one component per waiter | default | 10 | 18.5 | 4.63 | 0.4 | 400 | 40 | 250 | 1 | 0 |');
        // Rows in the variants' order, N ascending.
        const rows = md.split('\n').filter(line => /^\| (ours|redlock-universal)[^|]*\| (default|retry every 100 ms) \| [\d,]+ \|/.test(line));
        assert.deepEqual(rows.map(line => line.split(' | ').slice(0, 3).join(' | ')), [
            '| ours, RedisLock default waiting | default | 10', '| ours, RedisLock default waiting | default | 100',
            '| ours, RedisLock default waiting | default | 1,000', '| redlock-universal (node-redis 6) | retry every 100 ms | 10',
            '| redlock-universal (node-redis 6) | retry every 100 ms | 100', '| redlock-universal (node-redis 6) | retry every 100 ms | 1,000',
            '| ours, one component per waiter | default | 10'
        ]);
        assert.include(md, '- ours, RedisLock default waiting, N = 1,000, commands per waiter per second: zadd 1.50, evalsha 0.50.');
        assert.include(md, 'Not in S6: floor-io (the same polling as floor-nr).');
        assert.include(md, 'S6 took 96 s');
        // The violation in S6 counts against the run.
        assert.include(md, '- [ ] 0 mutual-exclusion violations everywhere: 1');

        const svg = renderSvg(r);
        assertNothingClipped(svg);
        assert.notInclude(svg, 'NaN');
        assert.include(svg, 'Waiting worker\'s wait in ms');
        assert.include(svg, 'S6: Redis commands per waiter per second while N waiters wait, log scale');
        assert.include(svg, 'ours, one component per waiter, N = 10');
        assert.include(svg, '2.00 commands · 0.50 round trips per waiter/s');
    });

    test('a run of S6 only has a chart of S6 only, and its files say so', () => {
        const raw = { reps: 1, s1: {}, s2: {}, s3: {}, s4: {}, s5: {}, memory: null,
            s6: { 'ours:10': [s6Run(10, 170, 0.004, 25)], 'redlock-universal:10': [s6Run(10, 200, 0.006, 390)] } };
        const r = report('full', raw, { s6: S6_META, file: 's6', args: ['--only', 's6', '--reps', '1'] });
        const svg = renderSvg(r);
        assertNothingClipped(svg);
        assert.notInclude(svg, 'Waiting worker');
        assert.match(svg, /<text [^>]*font-size="15"[^>]*>S6: Redis commands per waiter per second while N waiters wait, log scale \(full run/);
        const md = renderMarkdown(r);
        assert.notInclude(md, '### Ratios');
        assert.include(md, '`benchmark/results/s6.{md,json,svg}`, this one from `npm run bench -- --only s6 --reps 1`.');
    });
});

// What observability costs per lock cycle: one process, one throwaway Redis, two RedisLocks, one
// without references and one with a logger (NullLogger), counters (a CachedCounters) and a tracer
// (NullTracer), as the `ours-obs` benchmark variant. Sequential acquireLock + releaseLock cycles
// in blocks of 1000, the two locks' blocks alternating (which one goes first alternates too), so a
// change in the machine's load hits both alike. Reports the median per-cycle wall time and client
// CPU time (process.cpuUsage) over the blocks, and the median of the paired blocks' CPU difference.
// On a shared machine throughput swings far more between runs than between the two variants;
// the paired CPU difference is the figure to read.
//   node obj/benchmark/observability.js [--blocks N]
import { ConfigParams, Descriptor, References } from 'pip-services4-components-node';
import { CachedCounters, Counter, NullLogger, NullTracer } from 'pip-services4-observability-node';

import { RedisLock } from '../src/lock/RedisLock';
import { RedisServer } from '../test/support/RedisServer';

const BLOCK = 1000;
const WARM_UP_BLOCKS = 3;

/** Counters kept in memory, as a CachedCounters-based component keeps them between saves. */
class InMemoryCounters extends CachedCounters {
    protected save(_counters: Counter[]): void {
        // Kept in memory only.
    }
}

interface Samples {
    wallUs: number[];
    cpuUs: number[];
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function block(lock: RedisLock, tag: string, into: Samples | null): Promise<void> {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < BLOCK; i++) {
        const key = 'bench:obs:' + tag + ':' + i;
        await lock.acquireLock(null, key, 10000, 10000);
        await lock.releaseLock(null, key);
    }
    const wall = Number(process.hrtime.bigint() - started) / 1000 / BLOCK;
    const used = process.cpuUsage(cpu);
    into?.wallUs.push(wall);
    into?.cpuUs.push((used.user + used.system) / BLOCK);
}

async function main(): Promise<void> {
    const at = process.argv.indexOf('--blocks');
    const blocks = at > 0 ? Number(process.argv[at + 1]) : 30;
    const server = await RedisServer.start();
    const config = ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port);
    const plain = new RedisLock();
    const observed = new RedisLock();
    plain.configure(config);
    observed.configure(config);
    observed.setReferences(References.fromTuples(
        new Descriptor('pip-services', 'logger', 'null', 'default', '1.0'), new NullLogger(),
        new Descriptor('pip-services', 'counters', 'memory', 'default', '1.0'), new InMemoryCounters(),
        new Descriptor('pip-services', 'tracer', 'null', 'default', '1.0'), new NullTracer()));
    await plain.open(null);
    await observed.open(null);
    try {
        for (let b = 0; b < WARM_UP_BLOCKS; b++) {
            await block(plain, 'warm-plain-' + b, null);
            await block(observed, 'warm-observed-' + b, null);
        }
        const without: Samples = { wallUs: [], cpuUs: [] };
        const withRefs: Samples = { wallUs: [], cpuUs: [] };
        for (let b = 0; b < blocks; b++) {
            const order: [RedisLock, string, Samples][] = [[plain, 'plain', without], [observed, 'observed', withRefs]];
            if (b % 2 == 1) order.reverse();
            for (const [lock, name, samples] of order) await block(lock, name + '-' + b, samples);
        }
        const row = (label: string, s: Samples) => `| ${label} | ${(1e6 / median(s.wallUs)).toFixed(0)} | `
            + `${median(s.wallUs).toFixed(1)} | ${median(s.cpuUs).toFixed(1)} |`;
        const cpuDifference = median(withRefs.cpuUs.map((cpu, i) => cpu - without.cpuUs[i]));
        process.stdout.write([
            `${blocks} blocks of ${BLOCK} sequential acquireLock + releaseLock cycles each, alternating; medians over blocks`,
            '',
            '| RedisLock | cycles/s | wall µs per cycle | client CPU µs per cycle |',
            '|---|---:|---:|---:|',
            row('no references', without),
            row('logger + counters + tracer', withRefs),
            '',
            `CPU per cycle, with references minus without, median of paired blocks: ${cpuDifference.toFixed(1)} µs`,
            ''
        ].join('\n'));
    } finally {
        await plain.close(null);
        await observed.close(null);
        await server.stop();
    }
}

main().catch(err => {
    console.error(err);
    process.exit(1);
});

// What locking leaves behind in Redis: 100,000 distinct keys locked once (acquire + release), then
// 100,000 distinct getOrSet misses, each on a fresh throwaway server. Reports Redis' used_memory
// and keys without a TTL right after, and again once every TTL the library set has run out.
//   node obj/benchmark/keys.js [--keys N]     (also run by `npm run bench -- --only keys`)
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../src/cache/RedisCache';
import { RedisLock } from '../src/lock/RedisLock';
import { RedisServer } from '../test/support/RedisServer';

/** Redis' view after one workload. */
export interface KeyFootprint {
    workload: string;
    keys: number;
    /** used_memory growth over the empty server, in bytes, right after the workload. */
    bytesAfter: number;
    /** Keys in Redis right after the workload, and how many of them have no TTL. */
    keysAfter: number;
    keysWithoutTtlAfter: number;
    /** Once every TTL the library set has passed (workload values of getOrSet excluded: they are the cache). */
    bytesSettled: number;
    keysSettled: number;
    keysWithoutTtlSettled: number;
    settleMs: number;
}

type Probe = any;   // node-redis client types do not unify across option sets

async function usedMemory(probe: Probe): Promise<number> {
    return Number(/used_memory:(\d+)/.exec(await probe.info('memory'))![1]);
}

async function keyCounts(probe: Probe): Promise<{ keys: number, withoutTtl: number }> {
    const line = /db0:keys=(\d+),expires=(\d+)/.exec(await probe.info('keyspace'));
    if (line == null) return { keys: 0, withoutTtl: 0 };
    return { keys: Number(line[1]), withoutTtl: Number(line[1]) - Number(line[2]) };
}

/** Runs `work(i)` for i < n, `concurrency` at a time. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < n) await work(next++);
    }));
}

/** Waits until only `remaining` keys are left (SCAN makes Redis expire what it touches), or a bound. */
async function settle(probe: Probe, remaining: number, limitMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < limitMs) {
        for await (const batch of probe.scanIterator({ COUNT: 1000 })) void batch;
        if ((await keyCounts(probe)).keys <= remaining) break;
        await new Promise(resolve => setTimeout(resolve, 200));
    }
    return Date.now() - started;
}

async function measure(workload: 'lock' | 'getOrSet', n: number): Promise<KeyFootprint> {
    const server = await RedisServer.start();
    const probe = createClient({ socket: { host: server.host, port: server.port } });
    probe.on('error', () => undefined);
    await probe.connect();
    const config = ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port);
    const component = workload == 'lock' ? new RedisLock() : new RedisCache();
    component.configure(config);
    await component.open(null);
    try {
        // Warm up (scripts loaded, connections ready), then let that key's traces expire.
        const run = workload == 'lock'
            ? async (i: number) => { await (await (component as RedisLock).acquire(null, 'key:' + i, { ttl: 10000, timeout: 0 })).release(); }
            : async (i: number) => { await (component as RedisCache).getOrSet(null, 'key:' + i, 600000, () => 'v'); };
        await run(-1);
        await probe.del('key:-1');
        await settle(probe, 0, 5000);
        const baseline = await usedMemory(probe);

        await pool(n, 64, run);
        const after = await keyCounts(probe);
        const bytesAfter = await usedMemory(probe) - baseline;
        const values = workload == 'getOrSet' ? n : 0;
        const settleMs = await settle(probe, values, 30000);
        const settled = await keyCounts(probe);
        return {
            workload, keys: n, bytesAfter, keysAfter: after.keys, keysWithoutTtlAfter: after.withoutTtl,
            bytesSettled: await usedMemory(probe) - baseline, keysSettled: settled.keys,
            keysWithoutTtlSettled: settled.withoutTtl, settleMs
        };
    } finally {
        await component.close(null);
        await probe.close();
        await server.stop();
    }
}

/**
 * Measures both workloads.
 *
 * @param n     distinct keys per workload.
 * @returns one footprint per workload.
 */
export async function keyFootprints(n: number): Promise<KeyFootprint[]> {
    return [await measure('lock', n), await measure('getOrSet', n)];
}

/** A markdown table of footprints. */
export function renderFootprints(footprints: KeyFootprint[]): string {
    const lines = ['| workload | keys | Redis memory right after | keys left / without TTL | memory once TTLs ran out | keys left / without TTL | settled after |',
        '|---|---:|---:|---:|---:|---:|---:|'];
    for (const f of footprints) {
        const perKey = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB (${(bytes / f.keys).toFixed(1)} B/key)`;
        lines.push(`| ${f.workload} | ${f.keys} | ${perKey(f.bytesAfter)} | ${f.keysAfter} / ${f.keysWithoutTtlAfter} | ` +
            `${perKey(f.bytesSettled)} | ${f.keysSettled} / ${f.keysWithoutTtlSettled} | ${(f.settleMs / 1000).toFixed(1)} s |`);
    }
    return lines.join('\n');
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const i = args.indexOf('--keys');
    const n = i >= 0 ? Number(args[i + 1]) : 100000;
    keyFootprints(n).then(footprints => {
        process.stdout.write(renderFootprints(footprints) + '\n');
    }).catch(err => {
        console.error(err);
        RedisServer.killAll();
        process.exit(1);
    });
}

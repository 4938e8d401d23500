// Where S1 time goes: node obj/benchmark/profile.js [variant] [cycles]
// Without a variant, runs every variant interleaved (5 rounds) and prints cycles/s per variant.
// With one, runs only it (for `node --cpu-prof`); then summarise with `node obj/benchmark/profile.js --summary FILE`.
// The raw variants take the lock with SET NX PX and release it with the library's own release
// script (keys and arguments as RedisLock sends them); after each run the profile checks that
// every lock it took was released, and exits 1 otherwise.
import { readFileSync } from 'fs';
import { createClient, defineScript } from 'redis';
import IORedis from 'ioredis';
import { LockKeys } from '../src/lock/LockKeys';
import { RedisLock } from '../src/lock/RedisLock';
import { RELEASE_LUA } from '../src/lock/scripts';
import { ConfigParams } from 'pip-services4-components-node';
import { RedisServer } from '../test/support/RedisServer';
import { randomToken } from './impl';

type Cycle = (key: string) => Promise<void>;
interface Variant { open(host: string, port: number): Promise<Cycle>; close(): Promise<void> }

function nodeRedis(resp: 2 | 3, style: 'options' | 'sendCommand' | 'script', timeout?: number): Variant {
    let client: any;
    return {
        async open(host, port) {
            // KEYS: lock, fence, queue, waiters; ARGV: token, channel, publish command, grant (see src/lock/scripts/release.ts).
            const script = defineScript({ SCRIPT: RELEASE_LUA, NUMBER_OF_KEYS: 4,
                parseCommand(p: any, k: LockKeys, t: string) {
                    p.pushKeys([k.lock, k.fence, k.queue, k.waiters]);
                    p.push(t, k.channel, k.publishCommand, '1000');
                },
                transformReply: undefined as any });
            client = createClient({ socket: { host, port }, RESP: resp, scripts: { rel: script },
                ...(timeout === undefined ? {} : { commandOptions: { timeout } }) } as any);
            client.on('error', () => undefined);
            await client.connect();
            const sha = await client.scriptLoad(RELEASE_LUA);
            if (style == 'options') return async key => {
                const t = randomToken();
                const k = new LockKeys(key);
                await client.set(key, t, { condition: 'NX', expiration: { type: 'PX', value: 10000 } });
                await client.evalSha(sha, { keys: [k.lock, k.fence, k.queue, k.waiters], arguments: [t, k.channel, k.publishCommand, '1000'] });
            };
            if (style == 'sendCommand') return async key => {
                const t = randomToken();
                const k = new LockKeys(key);
                await client.sendCommand(['SET', key, t, 'NX', 'PX', '10000']);
                await client.sendCommand(['EVALSHA', sha, '4', k.lock, k.fence, k.queue, k.waiters, t, k.channel, k.publishCommand, '1000']);
            };
            return async key => {
                const t = randomToken();
                await client.set(key, t, { condition: 'NX', expiration: { type: 'PX', value: 10000 } });
                await client.rel(new LockKeys(key), t);
            };
        },
        close: () => client.close()
    };
}

function ioredis(): Variant {
    let client: any;
    return {
        async open(host, port) {
            client = new IORedis({ host, port });
            const sha = await client.script('LOAD', RELEASE_LUA);
            return async key => {
                const t = randomToken();
                const k = new LockKeys(key);
                await client.set(key, t, 'PX', 10000, 'NX');
                await client.evalsha(sha, 4, k.lock, k.fence, k.queue, k.waiters, t, k.channel, k.publishCommand, '1000');
            };
        },
        close: () => client.quit()
    };
}

function ours(mode: 'try' | 'acquire'): Variant {
    const lock = new RedisLock();
    return {
        async open(host, port) {
            lock.configure(ConfigParams.fromTuples('connection.host', host, 'connection.port', port));
            await lock.open(null);
            if (mode == 'try') return async key => { await lock.tryAcquireLock(null, key, 10000); await lock.releaseLock(null, key); };
            return async key => { await lock.acquireLock(null, key, 10000, 10000); await lock.releaseLock(null, key); };
        },
        close: () => lock.close(null)
    };
}

const VARIANTS: Record<string, () => Variant> = {
    'nr-resp3-options': () => nodeRedis(3, 'options'),
    'nr-resp2-options': () => nodeRedis(2, 'options'),
    'nr-resp3-script': () => nodeRedis(3, 'script'),
    // No per-command AbortSignal.timeout (node-redis 6 defaults commandOptions.timeout to 5000).
    'nr-resp3-notimeout': () => nodeRedis(3, 'options', 0),
    'nr-resp3-sendCommand': () => nodeRedis(3, 'sendCommand'),
    'nr-resp2-sendCommand': () => nodeRedis(2, 'sendCommand'),
    'ours-try': () => ours('try'),
    'ours-acquire': () => ours('acquire'),
    'ioredis': () => ioredis()
};

async function measure(name: string, host: string, port: number, cycles: number, round: number): Promise<number> {
    const v = VARIANTS[name]();
    const cycle = await v.open(host, port);
    for (let i = 0; i < 500; i++) await cycle(`prof:${name}:${round}:w${i}`);
    const t0 = performance.now();
    for (let i = 0; i < cycles; i++) await cycle(`prof:${name}:${round}:${i}`);
    const rate = cycles / ((performance.now() - t0) / 1000);
    await v.close();
    return rate;
}

/** The lock keys of a variant's round still in Redis: every cycle releases its lock, so none may be left. */
async function leftLocked(host: string, port: number, name: string, round: number): Promise<string[]> {
    const client = createClient({ socket: { host, port } });
    client.on('error', () => undefined);
    await client.connect();
    try {
        const left: string[] = [];
        for await (const keys of client.scanIterator({ MATCH: `prof:${name}:${round}:*`, COUNT: 1000 })) left.push(...keys);
        return left;
    } finally {
        await client.close();
    }
}

function summary(file: string): void {
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const dt = new Map<number, number>();
    for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + prof.timeDeltas[i]);
    const total = prof.timeDeltas.reduce((a: number, b: number) => a + b, 0);
    const byFrame = new Map<string, number>();
    for (const node of prof.nodes) {
        const f = node.callFrame;
        const where = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/obj\//, 'obj/') + ':' + (f.lineNumber + 1) : '';
        const name = `${f.functionName || '(anonymous)'} ${where}`;
        byFrame.set(name, (byFrame.get(name) ?? 0) + (dt.get(node.id) ?? 0));
    }
    console.log(`total ${(total / 1000).toFixed(0)} ms`);
    for (const [name, t] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
        console.log(`${(t / total * 100).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${name}`);
    }
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    if (args[0] == '--summary') return summary(args[1]);
    const server = await RedisServer.start();
    const names = args[0] ? args[0].split(',') : Object.keys(VARIANTS);
    const cycles = Number(args[1] ?? 5000);
    const rates: Record<string, number[]> = {};
    const rounds = Number(args[2] ?? (names.length == 1 ? 1 : 5));
    for (let r = 0; r < rounds; r++) {
        for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
            (rates[name] ??= []).push(await measure(name, server.host, server.port, cycles, r));
            const left = await leftLocked(server.host, server.port, name, r);
            if (left.length > 0) {
                throw new Error(`${name} left ${left.length} of its locks unreleased (e.g. ${left[0]})`);
            }
        }
    }
    for (const name of names) {
        const sorted = rates[name].sort((a, b) => a - b);
        console.log(`${name.padEnd(22)} median ${sorted[sorted.length >> 1].toFixed(0)} cycles/s  (${sorted.map(x => x.toFixed(0)).join(', ')})`);
    }
    await server.stop();
}

main().catch(err => { console.error(err); process.exit(1); });

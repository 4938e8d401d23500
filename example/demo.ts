/**
 * `npm run demo`: four worker processes contend for one RedisLock. The parent prints a timeline of
 * who asked for the lock, who held it and which waiter each release woke, checks that no two
 * workers ever held it at once, and that the demo left nothing in Redis without a TTL.
 *
 *   node obj/example/demo.js                          parent: starts Redis, forks the workers
 *   node obj/example/demo.js worker <n> <host> <port> <key>   one worker (forked by the parent)
 *
 * Redis: a throwaway redis-server on a free loopback port, stopped at the end; or, when
 * REDIS_SERVICE_HOST is set, the Redis at REDIS_SERVICE_HOST:REDIS_SERVICE_PORT, where the demo
 * uses a key of its own run (`demo:<pid>-<random>:lock`) and leaves only keys that expire.
 */
import { ChildProcess, fork } from 'child_process';
import { ConfigParams } from 'pip-services4-components-node';
import { createClient } from 'redis';

import { RedisLock } from '../src';
import { RedisServer } from '../test/support/RedisServer';

const WORKERS = 4;
const ROUNDS = 3;
const HOLD_MS = 100;
const TTL_MS = 10000;
const TIMEOUT_MS = 10000;
// A waiter retries on its own after retry_timeout at the latest (default 100 ms). Here it is
// longer than the whole demo, so every waiter in the timeline got the lock because the holder's
// release woke it, never by retrying on its own.
const RETRY_MS = 10000;

/** What a worker tells the parent. `at` is wall-clock ms with sub-ms resolution (same machine). */
interface WorkerMessage {
    kind: 'ready' | 'asks' | 'acquired' | 'releasing' | 'failed' | 'done';
    worker: number;
    at: number;
    detail?: string;
}

/** One line of the timeline. */
interface TimelineEvent {
    kind: 'asks' | 'acquired' | 'releasing';
    worker: number;
    at: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- worker

async function worker(id: number, host: string, port: number, key: string): Promise<void> {
    const tell = (kind: WorkerMessage['kind'], detail?: string) =>
        new Promise<void>(resolve => process.send!({ kind, worker: id, at: now(), detail } as WorkerMessage, () => resolve()));
    const context = 'demo-worker-' + id;

    const lock = new RedisLock();
    lock.configure(ConfigParams.fromTuples(
        'connection.host', host,
        'connection.port', port,
        'options.retry_timeout', RETRY_MS
    ));
    await lock.open(context);
    try {
        await openPubSub(lock, context, key + ':warm-up:w' + id);
        // Everyone starts at the same moment, so the workers really contend.
        const startAt = await new Promise<number>(resolve => {
            process.once('message', (msg: { startAt: number }) => resolve(msg.startAt));
            void tell('ready');
        });
        await sleep(Math.max(0, startAt - now()));
        for (let round = 0; round < ROUNDS; round++) {
            void tell('asks');
            await lock.acquireLock(context, key, TTL_MS, TIMEOUT_MS);
            void tell('acquired');
            await sleep(HOLD_MS);
            // Told before the release is sent: from here on another worker may get the lock.
            void tell('releasing');
            await lock.releaseLock(context, key);
            await sleep(Math.floor(Math.random() * 30));
        }
    } catch (err: any) {
        await tell('failed', (err?.code ?? '') + ' ' + (err?.message ?? String(err)));
        process.exitCode = 1;
    } finally {
        await lock.close(context);
    }
    await tell('done');
}

/**
 * A component opens its pub/sub connection on its first wait, which in a cold process can take
 * longer than a hand-off. One short wait on a key this worker holds itself opens it before the
 * timeline starts, so the timeline shows wake-ups rather than connection set-up.
 */
async function openPubSub(lock: RedisLock, context: string, warmUpKey: string): Promise<void> {
    const lease = await lock.acquire(context, warmUpKey, { ttl: TTL_MS, timeout: 0 });
    try {
        await lock.acquireLock(context, warmUpKey, TTL_MS, 300);
        throw new Error('a second acquisition of ' + warmUpKey + ' succeeded while a lease held it');
    } catch (err: any) {
        if (err?.code != 'LOCK_TIMEOUT') throw err;
    } finally {
        await lease.release();
    }
}

// ---------------------------------------------------------------- parent

/** Forks one worker; resolves with what it told and its exit code. */
function startWorker(id: number, host: string, port: number, key: string,
    onMessage: (msg: WorkerMessage) => void): { child: ChildProcess; finished: Promise<number | null> } {
    const child = fork(__filename, ['worker', String(id), host, String(port), key]);
    child.on('message', onMessage);
    const finished = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    return { child, finished };
}

async function main(): Promise<void> {
    let host: string;
    let port: number;
    let server: RedisServer | null = null;
    // Every key of this run contains the run id; on a shared Redis it keeps the demo apart.
    const runId = process.pid + '-' + Math.random().toString(36).slice(2, 8);
    const key = 'demo:' + runId + ':lock';

    if (process.env.REDIS_SERVICE_HOST) {
        host = process.env.REDIS_SERVICE_HOST;
        port = Number(process.env.REDIS_SERVICE_PORT ?? 6379);
        console.log('Redis: ' + host + ':' + port + ' (REDIS_SERVICE_HOST/REDIS_SERVICE_PORT); keys of this run contain ' + runId);
    } else {
        try {
            server = await RedisServer.start();
        } catch (err: any) {
            throw new Error('The demo needs Redis and could not start a throwaway redis-server. Install it '
                + '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis), or set '
                + 'REDIS_SERVICE_HOST and REDIS_SERVICE_PORT to a Redis the demo may write expiring keys to.\n'
                + (err?.message ?? err));
        }
        host = server.host;
        port = server.port;
        console.log('Redis: ' + host + ':' + port + ' (throwaway redis-server, stopped at the end)');
    }

    try {
        console.log(WORKERS + ' workers, ' + ROUNDS + ' rounds each: acquireLock("' + key + '", ttl ' + TTL_MS
            + ', timeout ' + TIMEOUT_MS + '), hold ' + HOLD_MS + ' ms, releaseLock.');
        console.log('options.retry_timeout is ' + RETRY_MS + ' ms: a waiter gets the lock only when a release wakes it.\n');

        const messages: WorkerMessage[] = [];
        let ready = 0;
        let started: (() => void) | null = null;
        const allReady = new Promise<void>(resolve => { started = resolve; });
        const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(i + 1, host, port, key, msg => {
            messages.push(msg);
            if (msg.kind == 'ready' && ++ready == WORKERS) started!();
        }));
        const exits = Promise.all(workers.map(w => w.finished));
        // A worker that dies before it is ready must not leave the parent waiting for it.
        await Promise.race([allReady, exits]);
        const t0 = now() + 50;
        for (const w of workers) if (w.child.connected) w.child.send({ startAt: t0 });
        const codes = await exits;

        const events: TimelineEvent[] = messages
            .filter(m => m.kind == 'asks' || m.kind == 'acquired' || m.kind == 'releasing')
            .map(m => ({ kind: m.kind as TimelineEvent['kind'], worker: m.worker, at: m.at - t0 }))
            // At equal times a release sorts first: it was told before that release was even sent.
            .sort((a, b) => a.at - b.at || (a.kind == 'releasing' ? -1 : b.kind == 'releasing' ? 1 : 0));
        const { lines, problems, woken } = timeline(events);
        console.log('    ms  event');
        for (const line of lines) console.log(line);
        console.log();

        for (const m of messages.filter(m => m.kind == 'failed')) problems.push('worker ' + m.worker + ' failed: ' + m.detail);
        if (codes.some(code => code !== 0)) problems.push('a worker exited with an error (exit codes ' + codes.join(', ') + ')');
        const done = messages.filter(m => m.kind == 'done').length;
        if (done != WORKERS) problems.push(WORKERS - done + ' worker(s) did not finish');
        const acquired = events.filter(e => e.kind == 'acquired').length;
        if (acquired != WORKERS * ROUNDS) problems.push(acquired + ' acquisitions instead of ' + WORKERS * ROUNDS);
        if (woken == 0) problems.push('no waiter was woken by a release: the workers never contended');

        problems.push(...await keysLeft(host, port, server != null ? '*' : '*' + runId + '*'));

        if (problems.length == 0) {
            console.log('OK: ' + acquired + ' acquisitions by ' + WORKERS + ' workers, ' + woken
                + ' of them by a waiter the release woke; no two workers ever held the lock at once.');
        } else {
            for (const problem of problems) console.log('FAIL: ' + problem);
            process.exitCode = 1;
        }
    } finally {
        await server?.stop();
    }
}

/**
 * Replays the events in time order into timeline lines. Every acquisition must find the lock
 * free (else a problem is recorded); an acquisition by a worker that asked before the holder's
 * release is a waiter the release woke.
 */
function timeline(events: TimelineEvent[]): { lines: string[]; problems: string[]; woken: number } {
    const lines: string[] = [];
    const problems: string[] = [];
    const askedAt = new Map<number, number>();
    let holder: number | null = null;
    let lastRelease: TimelineEvent | null = null;
    let woken = 0;
    // `+ 0` turns a rounded -0 (clocks of two processes a fraction of a ms apart) into 0.
    const line = (at: number, text: string) => lines.push(String(Math.round(at) + 0).padStart(6) + '  ' + text);
    for (const event of events) {
        const w = 'w' + event.worker;
        if (event.kind == 'asks') {
            const ahead = [...askedAt.keys()].map(n => 'w' + n);
            askedAt.set(event.worker, event.at);
            line(event.at, w + ' asks' + (holder != null ? ', waits: w' + holder + ' holds the lock'
                : ahead.length > 0 ? ', waits: ' + ahead.join(', ') + ' asked first' : ''));
        } else if (event.kind == 'acquired') {
            const asked = askedAt.get(event.worker) ?? event.at;
            askedAt.delete(event.worker);
            if (holder != null) {
                problems.push('at ' + event.at.toFixed(1) + ' ms w' + event.worker + ' acquired the lock while w' + holder + ' held it');
                line(event.at, w + ' acquired  <-- OVERLAP: w' + holder + ' still holds it');
            } else if (lastRelease != null && lastRelease.worker != event.worker && asked < lastRelease.at) {
                woken++;
                line(event.at, w + ' woken by w' + lastRelease.worker + "'s release after "
                    + (event.at - lastRelease.at).toFixed(0) + ' ms, acquired (waited ' + (event.at - asked).toFixed(0) + ' ms)');
            } else {
                line(event.at, w + ' acquired (the lock was free)');
            }
            holder = event.worker;
        } else {
            line(event.at, w + ' releases');
            if (holder == event.worker) holder = null;
            lastRelease = event;
        }
    }
    return { lines, problems, woken };
}

/**
 * Lists the keys matching `pattern` that the demo left in Redis: all of them must expire (the
 * lock's last fence, kept about 1 s). Returns a problem for each key without a TTL.
 */
async function keysLeft(host: string, port: number, pattern: string): Promise<string[]> {
    const client = createClient({ socket: { host, port } });
    client.on('error', () => undefined);
    await client.connect();
    try {
        const problems: string[] = [];
        const left: string[] = [];
        for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
            for (const key of keys) {
                const pttl = await client.pTTL(key);
                // NUL separates a lock key's companions (`{key}\0fence`): shown as \0.
                const shown = key.replace(/\0/g, '\\0');
                if (pttl == -1) problems.push('key ' + shown + ' has no TTL');
                else if (pttl >= 0) left.push(shown + ' (expires in ' + pttl + ' ms)');
            }
        }
        console.log('Keys the demo left in Redis: ' + (left.length == 0 && problems.length == 0 ? 'none'
            : left.join(', ') + (problems.length > 0 ? '; ' + problems.length + ' without a TTL' : '')));
        return problems;
    } finally {
        await client.close();
    }
}

if (process.argv[2] == 'worker') {
    const [id, host, port, key] = process.argv.slice(3);
    worker(Number(id), host, Number(port), key).catch(err => {
        console.error('worker ' + id + ':', err);
        process.exitCode = 1;
    });
} else {
    main().catch(err => {
        console.error(err?.message ?? err);
        process.exitCode = 1;
    });
}

/**
 * `npm run demo`: four worker processes contend for one RedisLock; the parent prints who held it
 * when, and checks that no two workers ever held it at once.
 *
 *   node obj/example/demo.js                       parent: finds or starts Redis, forks the workers
 *   node obj/example/demo.js worker <n> <host> <port> <t0>   one worker (forked by the parent)
 */
import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import { once } from 'events';
import { createConnection, createServer } from 'net';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../src';

const WORKERS = 4;
const ROUNDS = 3;
const HOLD_MS = 100;
const LOCK_KEY = 'demo-lock';

/** What a worker reports to the parent. `at` is ms since the parent started. */
interface Event {
    worker: number;
    kind: 'acquired' | 'released' | 'failed';
    at: number;
    detail?: string;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// ---------------------------------------------------------------- worker

async function worker(id: number, host: string, port: number, t0: number): Promise<void> {
    const report = (kind: Event['kind'], detail?: string) =>
        process.send!({ worker: id, kind, at: Date.now() - t0, detail } as Event);
    const context = 'demo-worker-' + id;

    const lock = new RedisLock();
    lock.configure(ConfigParams.fromTuples(
        'connection.host', host,
        'connection.port', port,
        'options.retry_timeout', 20
    ));
    await lock.open(context);
    try {
        for (let round = 0; round < ROUNDS; round++) {
            await lock.acquireLock(context, LOCK_KEY, 2000, 10000);
            report('acquired');
            await sleep(HOLD_MS);
            // Reported before the release is sent: from here on another worker may get the lock.
            report('released');
            await lock.releaseLock(context, LOCK_KEY);
            await sleep(Math.floor(Math.random() * 30));
        }
    } catch (err: any) {
        report('failed', (err?.code ?? '') + ' ' + (err?.message ?? String(err)));
        process.exitCode = 1;
    } finally {
        await lock.close(context);
    }
}

// ---------------------------------------------------------------- finding Redis

/** True when a Redis at host:port answers PING without a password. */
async function answersPing(host: string, port: number): Promise<boolean> {
    return new Promise(resolve => {
        const socket = createConnection({ host, port });
        let reply = '';
        const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
        socket.setTimeout(500, () => done(false));
        socket.on('error', () => done(false));
        socket.on('connect', () => socket.write('PING\r\n'));
        socket.on('data', chunk => {
            reply += chunk.toString();
            if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
        });
    });
}

async function freePort(): Promise<number> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as any).port;
    server.close();
    await once(server, 'close');
    return port;
}

/** Starts a throwaway redis-server on a free loopback port, with persistence off. */
async function startRedis(): Promise<{ port: number; child: ChildProcess }> {
    const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    const probe = spawnSync(binary, ['--version']);
    if (probe.error != null || probe.status !== 0) {
        throw new Error('No Redis answers at 127.0.0.1:6379 and redis-server is not installed. Install it '
            + '(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or set '
            + 'REDIS_SERVICE_HOST and REDIS_SERVICE_PORT to a running Redis.');
    }
    const port = await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
        const onExit = (code: number) => reject(new Error('redis-server exited with code ' + code + ':\n' + output));
        child.once('exit', onExit);
        child.stdout!.on('data', chunk => {
            output += chunk.toString();
            if (output.includes('Ready to accept connections')) {
                child.off('exit', onExit);
                resolve();
            }
        });
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return { port, child };
}

// ---------------------------------------------------------------- parent

async function main(): Promise<void> {
    const t0 = Date.now();
    let host = '127.0.0.1';
    let port = 6379;
    let server: ChildProcess | null = null;

    if (process.env.REDIS_SERVICE_HOST) {
        host = process.env.REDIS_SERVICE_HOST;
        port = Number(process.env.REDIS_SERVICE_PORT ?? 6379);
        console.log('Redis: ' + host + ':' + port + ' (REDIS_SERVICE_HOST/REDIS_SERVICE_PORT)');
    } else if (await answersPing(host, port)) {
        console.log('Redis: ' + host + ':' + port + ' (already running)');
    } else {
        const started = await startRedis();
        server = started.child;
        port = started.port;
        console.log('Redis: ' + host + ':' + port + ' (throwaway redis-server, stopped at the end)');
    }
    process.on('exit', () => server?.kill('SIGKILL'));

    console.log(WORKERS + ' workers, ' + ROUNDS + ' rounds each: acquireLock("' + LOCK_KEY
        + '", ttl 2000, timeout 10000), hold ' + HOLD_MS + ' ms, releaseLock\n');
    console.log('    ms  worker    event');

    const events: Event[] = [];
    const children = [];
    for (let id = 1; id <= WORKERS; id++) {
        const child = fork(__filename, ['worker', String(id), host, String(port), String(t0)]);
        child.on('message', (event: Event) => {
            events.push(event);
            console.log(String(event.at).padStart(6) + '  worker ' + event.worker + '  ' + event.kind
                + (event.detail ? ': ' + event.detail : ''));
        });
        children.push(once(child, 'exit').then(([code]) => code as number));
    }
    const codes = await Promise.all(children);

    if (server != null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
        server = null;
    }

    console.log();
    const problems = check(events);
    const acquired = events.filter(e => e.kind == 'acquired').length;
    if (codes.some(code => code !== 0)) problems.push('a worker exited with an error (codes ' + codes.join(', ') + ')');
    if (acquired != WORKERS * ROUNDS) problems.push(acquired + ' acquisitions instead of ' + WORKERS * ROUNDS);
    if (problems.length == 0) {
        console.log('OK: ' + acquired + ' acquisitions by ' + WORKERS + ' workers in ' + (Date.now() - t0)
            + ' ms; no two workers ever held the lock at once.');
    } else {
        for (const problem of problems) console.log('FAIL: ' + problem);
        process.exitCode = 1;
    }
}

/** Replays the events in time order: every acquisition must find the lock free. */
function check(events: Event[]): string[] {
    const problems: string[] = [];
    // At equal times a release sorts first: it was reported before that release was even sent.
    const ordered = [...events].sort((a, b) => a.at - b.at || (a.kind == 'released' ? -1 : 1));
    let holder: number | null = null;
    for (const event of ordered) {
        if (event.kind == 'acquired') {
            if (holder != null) problems.push('at ' + event.at + ' ms worker ' + event.worker
                + ' acquired the lock while worker ' + holder + ' held it');
            holder = event.worker;
        } else if (event.kind == 'released' && holder == event.worker) {
            holder = null;
        }
    }
    return problems;
}

if (process.argv[2] == 'worker') {
    const [id, host, port, t0] = process.argv.slice(3);
    worker(Number(id), host, Number(port), Number(t0)).catch(err => {
        console.error('worker ' + id + ':', err);
        process.exitCode = 1;
    });
} else {
    main().catch(err => {
        console.error(err?.message ?? err);
        process.exitCode = 1;
    });
}

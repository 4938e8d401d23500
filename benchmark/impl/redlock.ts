import IORedis from 'ioredis';
import { AdapterOptions, ImplSpec, LockAdapter } from './LockAdapter';

// redlock 5 ships ESM + CJS; its typings target ioredis 4, so it is typed loosely here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Redlock: any = require('redlock').default;

const DEFAULT_DELAY = 200;
const DEFAULT_JITTER = 100;

/** redlock 5 on one ioredis client (EVALSHA acquire and release; retry 200 ± 100 ms by default). */
class RedlockAdapter implements LockAdapter {
    public readonly id = 'redlock';
    private readonly _client: any;
    private readonly _redlock: any;
    private readonly _delay: number;
    private readonly _jitter: number;
    private readonly _held = new Map<string, any>();

    public constructor(options: AdapterOptions) {
        this._client = new IORedis({ host: options.host, port: options.port, lazyConnect: true });
        this._delay = options.retryDelay ?? DEFAULT_DELAY;
        // Tuned (S4): 10 ms ± 5 ms, the reference's best redlock setting.
        this._jitter = options.retryDelay == null ? DEFAULT_JITTER : Math.floor(options.retryDelay / 2);
        this._redlock = new Redlock([this._client], { retryDelay: this._delay, retryJitter: this._jitter });
        this._redlock.on('error', () => undefined);
    }
    public async open(): Promise<void> { await this._client.connect(); }
    public async close(): Promise<void> { await this._client.quit(); }

    public async tryAcquire(key: string, ttl: number): Promise<boolean> {
        try {
            this._held.set(key, await this._redlock.acquire([key], ttl, { retryCount: 0 }));
            return true;
        } catch (err: any) {
            if (err?.name == 'ExecutionError') return false;
            throw err;
        }
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        // redlock counts retries, not time: enough retries to cover the timeout at the mean delay.
        const retryCount = Math.max(0, Math.ceil(timeout / this._delay));
        this._held.set(key, await this._redlock.acquire([key], ttl, { retryCount }));
    }
    public async release(key: string): Promise<void> {
        const lock = this._held.get(key);
        if (lock == null) return;
        this._held.delete(key);
        await lock.release();
    }
}

export const redlock: ImplSpec = {
    id: 'redlock',
    label: 'redlock 5 (ioredis)',
    waiting: d => d == null ? `retry ${DEFAULT_DELAY} ± ${DEFAULT_JITTER} ms` : `retry ${d} ± ${Math.floor(d / 2)} ms`,
    available: () => true,
    create: options => new RedlockAdapter(options)
};

import IORedis from 'ioredis';
import { AdapterOptions, ImplSpec, LockAdapter } from './LockAdapter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Mutex } = require('redis-semaphore');

const DEFAULT_DELAY = 10;

/** redis-semaphore Mutex on one ioredis client (SET NX PX + EVALSHA release; polls every 10 ms). */
class SemaphoreAdapter implements LockAdapter {
    public readonly id = 'semaphore';
    private readonly _client: any;
    private readonly _delay: number;
    private readonly _held = new Map<string, any>();

    public constructor(options: AdapterOptions) {
        this._client = new IORedis({ host: options.host, port: options.port, lazyConnect: true });
        this._delay = options.retryDelay ?? DEFAULT_DELAY;
    }
    public async open(): Promise<void> { await this._client.connect(); }
    public async close(): Promise<void> { await this._client.quit(); }

    private mutex(key: string, ttl: number, timeout: number, attempts = Number.POSITIVE_INFINITY): any {
        // A Mutex is one acquisition (its own identifier); its default auto-refresh timer is kept.
        return new Mutex(this._client, key, {
            lockTimeout: ttl, acquireTimeout: timeout, acquireAttemptsLimit: attempts, retryInterval: this._delay
        });
    }
    public async tryAcquire(key: string, ttl: number): Promise<boolean> {
        // One attempt (acquireTimeout 0 would make none).
        const mutex = this.mutex(key, ttl, 10000, 1);
        if (!await mutex.tryAcquire()) return false;
        this._held.set(key, mutex);
        return true;
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        const mutex = this.mutex(key, ttl, timeout);
        await mutex.acquire();
        this._held.set(key, mutex);
    }
    public async release(key: string): Promise<void> {
        const mutex = this._held.get(key);
        if (mutex == null) return;
        this._held.delete(key);
        await mutex.release();
    }
}

export const semaphore: ImplSpec = {
    id: 'semaphore',
    label: 'redis-semaphore Mutex (ioredis)',
    waiting: d => `polls every ${d ?? DEFAULT_DELAY} ms`,
    available: () => true,
    create: options => new SemaphoreAdapter(options)
};

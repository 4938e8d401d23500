import { createClient } from 'redis';
import { createLock, DEFAULTS, Lock, LockHandle, NodeRedisAdapter } from 'redlock-universal';
import { AdapterOptions, ImplSpec, LockAdapter } from './LockAdapter';

// Its documented default for a single-instance lock (`createLock`): retry every 100 ms, no jitter.
const DEFAULT_DELAY: number = DEFAULTS.RETRY_DELAY;

/**
 * redlock-universal's single-instance lock (`createLock`, a SimpleLock) on one node-redis 6 client,
 * the client this library uses: `SET NX PX` to acquire, an EVALSHA compare-and-delete to release,
 * a fixed retry delay to wait.
 *
 * Its locks are bound to one key, TTL and retry count each. The adapter keeps one per key and
 * setting, as a service keeps one lock per resource: a lock object's circuit breaker (on by
 * default) PINGs Redis on its first acquire and then at most every 30 s, so only a fresh key (S1)
 * pays that PING on every cycle, as it would in a service that locks fresh keys.
 */
class RedlockUniversalAdapter implements LockAdapter {
    public readonly id = 'redlock-universal';
    private readonly _client: any;
    private readonly _adapter: NodeRedisAdapter;
    private readonly _delay: number;
    private readonly _locks = new Map<string, Lock>();
    private readonly _held = new Map<string, { lock: Lock; handle: LockHandle }>();

    public constructor(options: AdapterOptions) {
        this._client = createClient({ socket: { host: options.host, port: options.port } });
        this._client.on('error', () => undefined);
        this._adapter = new NodeRedisAdapter(this._client);
        this._delay = options.retryDelay ?? DEFAULT_DELAY;
    }
    public async open(): Promise<void> { await this._client.connect(); }
    public async close(): Promise<void> { await this._client.close(); }

    /** The lock object for a key with a TTL and a number of retries (it counts retries, not time). */
    private lock(key: string, ttl: number, retryAttempts: number): Lock {
        const id = `${ttl}/${retryAttempts}/${key}`;
        let lock = this._locks.get(id);
        if (lock == null) {
            lock = createLock({ adapter: this._adapter, key, ttl, retryAttempts, retryDelay: this._delay });
            this._locks.set(id, lock);
        }
        return lock;
    }

    public async tryAcquire(key: string, ttl: number): Promise<boolean> {
        const lock = this.lock(key, ttl, 0);
        try {
            this._held.set(key, { lock, handle: await lock.acquire() });
            return true;
        } catch (err: any) {
            if (err?.code == 'LOCK_ACQUISITION_FAILED') return false;
            throw err;
        }
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        // Enough retries to cover the timeout at its delay, as for redlock.
        const lock = this.lock(key, ttl, Math.max(0, Math.ceil(timeout / this._delay)));
        this._held.set(key, { lock, handle: await lock.acquire() });
    }
    public async release(key: string): Promise<void> {
        const held = this._held.get(key);
        if (held == null) return;
        this._held.delete(key);
        await held.lock.release(held.handle);
    }
}

export const redlockUniversal: ImplSpec = {
    id: 'redlock-universal',
    label: 'redlock-universal (node-redis 6)',
    waiting: d => `retry every ${d ?? DEFAULT_DELAY} ms`,
    available: () => true,
    create: options => new RedlockUniversalAdapter(options)
};

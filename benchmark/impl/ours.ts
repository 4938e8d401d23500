import { ConfigParams, Descriptor, References } from 'pip-services4-components-node';
import { Lock } from 'pip-services4-logic-node';
import { CachedCounters, Counter, NullLogger, NullTracer } from 'pip-services4-observability-node';
import { RedisLock } from '../../src/lock/RedisLock';
import { AdapterOptions, ImplSpec, LockAdapter } from './LockAdapter';

function configured(options: AdapterOptions, retryTimeout?: number): RedisLock {
    const lock = new RedisLock();
    // A cluster's seeds are `connections.N`, any masters; the client discovers the rest.
    const tuples: any[] = options.clusterNodes == null
        ? ['connection.host', options.host, 'connection.port', options.port]
        : [...options.clusterNodes.flatMap((node, i) => ['connections.' + i + '.host', node.host, 'connections.' + i + '.port', node.port]),
            'options.cluster', true];
    if (retryTimeout != null) tuples.push('options.retry_timeout', retryTimeout);
    lock.configure(ConfigParams.fromTuples(...tuples));
    return lock;
}

/** This library's RedisLock with its default waiting (`lock.acquireLock`). */
class OursAdapter implements LockAdapter {
    public readonly id: string = 'ours';
    protected readonly lock: RedisLock;

    public constructor(options: AdapterOptions, retryTimeout?: number) {
        this.lock = configured(options, retryTimeout ?? options.retryDelay);
    }
    public open(): Promise<void> { return this.lock.open(null); }
    public close(): Promise<void> { return this.lock.close(null); }
    public tryAcquire(key: string, ttl: number): Promise<boolean> { return this.lock.tryAcquireLock(null, key, ttl); }
    public acquire(key: string, ttl: number, timeout: number): Promise<void> {
        return this.lock.acquireLock(null, key, ttl, timeout);
    }
    public release(key: string): Promise<void> { return this.lock.releaseLock(null, key); }
}

/** Counters kept in memory, as a CachedCounters-based component (LogCounters, Prometheus) keeps them between saves. */
class InMemoryCounters extends CachedCounters {
    protected save(_counters: Counter[]): void {
        // Kept in memory only: the benchmark measures the cost of recording, not of shipping.
    }
}

/**
 * This library's RedisLock with observability wired as a service would: a logger (NullLogger,
 * behind the lock's own CompositeLogger), counters (a CachedCounters) and a tracer (NullTracer).
 * Compared with `ours`, it shows what counting and tracing every acquire and release costs.
 */
class OursObservedAdapter extends OursAdapter {
    public readonly id = 'ours-obs';
    public constructor(options: AdapterOptions) {
        super(options);
        this.lock.setReferences(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'null', 'default', '1.0'), new NullLogger(),
            new Descriptor('pip-services', 'counters', 'memory', 'default', '1.0'), new InMemoryCounters(),
            new Descriptor('pip-services', 'tracer', 'null', 'default', '1.0'), new NullTracer()));
    }
}

/**
 * The original's behaviour: the base class's plain polling loop (`Lock.prototype.acquireLock`),
 * every `retry_timeout` ms (100 by default, as 0.0.3 always did), over this library's commands.
 * Calling the base class directly keeps measuring polling after RedisLock.acquireLock changes.
 */
class OursPollingAdapter extends OursAdapter {
    public readonly id = 'ours-poll';
    public constructor(options: AdapterOptions) {
        super(options, options.retryDelay ?? 100);
    }
    public acquire(key: string, ttl: number, timeout: number): Promise<void> {
        return Lock.prototype.acquireLock.call(this.lock, null as any, key, ttl, timeout);
    }
}

/** The lease API (`lock.acquire(ctx, key, {ttl, timeout})` → lease with `release()`), when present. */
class OursLeaseAdapter extends OursAdapter {
    public readonly id = 'ours-lease';
    private readonly _leases = new Map<string, { release(): Promise<unknown> }>();

    public async tryAcquire(key: string, ttl: number): Promise<boolean> {
        const lease = await (this.lock as any).tryAcquire?.(null, key, { ttl });
        if (lease === undefined) {
            // No tryAcquire on the lease API: a zero timeout is one attempt.
            try {
                await this.acquire(key, ttl, 0);
                return true;
            } catch (err: any) {
                if (err?.code == 'LOCK_TIMEOUT') return false;
                throw err;
            }
        }
        if (lease == null || lease === false) return false;
        this._leases.set(key, lease);
        return true;
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        const lease = await (this.lock as any).acquire(null, key, { ttl, timeout });
        this._leases.set(key, lease);
    }
    public async release(key: string): Promise<void> {
        const lease = this._leases.get(key);
        if (lease == null) return;
        this._leases.delete(key);
        await lease.release();
    }
}

export const oursDefault: ImplSpec = {
    id: 'ours',
    label: 'ours, RedisLock default waiting',
    waiting: d => d == null ? 'default' : 'retry_timeout ' + d + ' ms',
    available: () => true,
    create: options => new OursAdapter(options)
};

export const oursObserved: ImplSpec = {
    id: 'ours-obs',
    label: 'ours, logger+counters+tracer set',
    waiting: d => d == null ? 'default' : 'retry_timeout ' + d + ' ms',
    available: () => typeof (RedisLock.prototype as any).setReferences === 'function',
    create: options => new OursObservedAdapter(options)
};

export const oursPolling: ImplSpec = {
    id: 'ours-poll',
    label: "ours, original's polling",
    waiting: d => 'polls every ' + (d ?? 100) + ' ms',
    available: () => true,
    create: options => new OursPollingAdapter(options)
};

export const oursLease: ImplSpec = {
    id: 'ours-lease',
    label: 'ours, lease API',
    waiting: d => d == null ? 'default' : 'retry_timeout ' + d + ' ms',
    available: () => typeof (RedisLock.prototype as any).acquire === 'function',
    create: options => new OursLeaseAdapter(options)
};

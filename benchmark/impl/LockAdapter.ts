import { randomBytes } from 'crypto';
/** One lock implementation under test, behind the same small interface. */
export interface LockAdapter {
    /** Short id, e.g. `ours`, `redlock`. */
    readonly id: string;
    open(): Promise<void>;
    /** One attempt; true when acquired. */
    tryAcquire(key: string, ttl: number): Promise<boolean>;
    /** Waits for the lock with the implementation's own waiting; throws when `timeout` passes. */
    acquire(key: string, ttl: number, timeout: number): Promise<void>;
    /** Releases the lock this adapter holds on `key` (one holder per key at a time). */
    release(key: string): Promise<void>;
    close(): Promise<void>;
    /**
     * Puts what `key` needs into Redis before anyone contends for it; called once per S3/S4 run, by
     * the first worker process, before the common start. Only an implementation whose waiting needs
     * state before the first acquire has it (floor-fifo: its one baton).
     */
    seed?(key: string): Promise<void>;
}

/** A Redis server's address. */
export interface RedisEndpoint {
    host: string;
    port: number;
}

/** Where Redis is and how the adapter should wait. */
export interface AdapterOptions {
    host: string;
    port: number;
    /**
     * Seed nodes of a Redis Cluster (S2c): the adapter then connects as a cluster client and
     * host/port are not used. Only the implementations S2c runs (ours, floor-nr) read it.
     */
    clusterNodes?: RedisEndpoint[];
    /** Overrides the implementation's retry delay in ms (S4); undefined = its default. */
    retryDelay?: number;
}

/** An implementation the benchmark can run. */
export interface ImplSpec {
    id: string;
    /** Row label in the tables. */
    label: string;
    /** Retry behaviour, as shown in the tables. */
    waiting(retryDelay?: number): string;
    /** Whether it is usable in this build (e.g. the lease API exists). */
    available(): boolean;
    create(options: AdapterOptions): LockAdapter;
}

export function randomToken(): string {
    // Same cost class as the implementations' own tokens (16 random bytes as hex).
    return randomBytes(16).toString('hex');
}

export function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

import { ConfigParams, IContext, IReconfigurable } from 'pip-services4-components-node';

import { CacheEntry } from './CacheEntry';
import { ICache } from './ICache';

/**
 * Test stand-in for pip-services4-logic-node `MemoryCache` (contract §3.6).
 *
 * Values are kept by reference (no JSON round trip). Defaults: `options.timeout` 60000 ms,
 * `options.max_size` 1000.
 */
export class MemoryCache implements ICache, IReconfigurable {
    private readonly _cache = new Map<string, CacheEntry>();
    private _timeout = 60000;
    private _maxSize = 1000;

    public constructor() {
        // nothing to do
    }

    /** Reads `options.timeout` and `options.max_size` as longs. */
    public configure(config: ConfigParams): void {
        this._timeout = config.getAsLongWithDefault('options.timeout', this._timeout);
        this._maxSize = config.getAsLongWithDefault('options.max_size', this._maxSize);
    }

    /** Expired entries are dropped only when the default timeout is > 0. */
    public async retrieve(context: IContext | null, key: string): Promise<any> {
        if (key == null) {
            throw new Error('Key cannot be null');
        }
        const entry = this._cache.get(key);
        if (entry == null) {
            return null;
        }
        if (this._timeout > 0 && entry.isExpired()) {
            this._cache.delete(key);
            return null;
        }
        return entry.getValue();
    }

    /** Null value deletes; timeout null/≤0 → default; resolves to the value. */
    public async store(context: IContext | null, key: string, value: any, timeout: number): Promise<any> {
        if (key == null) {
            throw new Error('Key cannot be null');
        }
        if (value == null) {
            this._cache.delete(key);
            return value;
        }
        const ttl = timeout != null && timeout > 0 ? timeout : this._timeout;
        const entry = this._cache.get(key);
        if (entry != null) {
            entry.setValue(value, ttl);
        } else {
            this._cache.set(key, new CacheEntry(key, value, ttl));
        }
        if (this._maxSize > 0 && this._cache.size > this._maxSize) {
            this.cleanup();
        }
        return value;
    }

    /**
     * Purges expired entries, then evicts the earliest-expiring entry only if the cache is still
     * over `max_size`, as the real MemoryCache does (found by running its tests against the real package).
     */
    private cleanup(): void {
        let oldest: CacheEntry | null = null;
        for (const [key, entry] of [...this._cache]) {
            if (entry.isExpired()) {
                this._cache.delete(key);
            } else if (oldest == null || entry.getExpiration() < oldest.getExpiration()) {
                oldest = entry;
            }
        }
        if (oldest != null && this._cache.size > this._maxSize) {
            this._cache.delete(oldest.getKey());
        }
    }

    public async remove(context: IContext | null, key: string): Promise<void> {
        if (key == null) {
            throw new Error('Key cannot be null');
        }
        this._cache.delete(key);
    }
}

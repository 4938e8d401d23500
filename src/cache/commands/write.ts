/** @module cache */

/** What the write step needs from a client. */
export interface WriteCommands {
    set(key: string, value: string, options?: any): Promise<string | null>;
}

/**
 * Write: one `SET key value PX ttl`. Value and expiry are set together, so a key written by the
 * cache never lives without a TTL (no SET-then-PEXPIRE window).
 *
 * @param client    a node-redis client.
 * @param key       the cache key.
 * @param encoded   the value, already encoded as JSON.
 * @param ttl       time to live in milliseconds, a positive integer.
 */
export async function write(client: WriteCommands, key: string, encoded: string, ttl: number): Promise<void> {
    await client.set(key, encoded, { expiration: { type: 'PX', value: ttl } });
}

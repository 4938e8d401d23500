/** @module cache */

/** What the read step needs from a client. */
export interface ReadCommands {
    get(key: string): Promise<string | null>;
}

/**
 * Read: one `GET key`. The only command a cache hit costs, also inside `getOrSet`.
 *
 * @param client    a node-redis client.
 * @param key       the cache key (with `options.key_prefix` applied).
 * @returns the encoded value, or null when the key is absent or expired.
 */
export async function read(client: ReadCommands, key: string): Promise<string | null> {
    return await client.get(key);
}

/** @module cache */

/** What the remove step needs from a client. */
export interface RemoveCommands {
    del(keys: string | string[]): Promise<number>;
}

/**
 * Remove: one `DEL key`. Removing an absent key is not an error.
 *
 * @param client    a node-redis client.
 * @param key       the cache key.
 */
export async function remove(client: RemoveCommands, key: string): Promise<void> {
    await client.del(key);
}

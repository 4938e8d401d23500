/** @module lock */

/** What the acquire step needs from a client. */
export interface AcquireCommands {
    set(key: string, value: string, options?: any): Promise<string | null>;
}

/**
 * Acquire: one `SET key token NX PX ttl`. It succeeds only when nobody holds the key, and the
 * TTL frees the key if the holder dies. The token is unique to this acquisition, so release and
 * extend can tell this holder from the next one.
 *
 * @param client    a node-redis client.
 * @param key       the lock key, used verbatim so older instances on the same Redis still exclude us.
 * @param token     this acquisition's token.
 * @param ttl       time to live in milliseconds.
 * @returns true when the lock was taken.
 */
export async function acquire(client: AcquireCommands, key: string, token: string, ttl: number): Promise<boolean> {
    const reply = await client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttl } });
    return reply != null;
}

/** @module connect */

/**
 * What every Redis key and channel name of a component depends on besides the component itself:
 * `options.key_prefix`, applied in one place ([[name]]), and whether channels are sharded (on a
 * Redis Cluster, SPUBLISH/SSUBSCRIBE; elsewhere PUBLISH/SUBSCRIBE).
 *
 * node-redis' own keyPrefix is not used: it would prefix keys but not channels, and hide the names
 * Redis really sees from the code that must keep them in one cluster slot.
 */
export class KeySpace {
    /** No prefix, plain channels: names are used verbatim. */
    public static readonly none = new KeySpace('', false);

    /** The prefix ('' for none). */
    public readonly prefix: string;
    /**
     * True on a Redis Cluster: channels are sharded (SPUBLISH/SSUBSCRIBE), so a message travels
     * only within the channel's shard instead of to every node.
     */
    public readonly shardedChannels: boolean;

    /**
     * @param prefix            the configured prefix ('' or undefined for none).
     * @param shardedChannels   true on a Redis Cluster.
     */
    public constructor(prefix: string | undefined, shardedChannels = false) {
        this.prefix = prefix ?? '';
        this.shardedChannels = shardedChannels;
    }

    /**
     * The name Redis sees for a key or channel.
     *
     * @param name  the name without the prefix.
     * @returns the prefixed name.
     */
    public name(name: string): string {
        return this.prefix + name;
    }
}

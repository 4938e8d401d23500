/** @module connect */

/**
 * `options.key_prefix`, applied in one place: every Redis key and channel name the components send
 * goes through [[name]] (node-redis' own keyPrefix is not used: it would prefix keys but not
 * channels, and hide the names Redis really sees from the code that must keep them in one slot).
 */
export class KeyPrefix {
    /** No prefix: names are used verbatim. */
    public static readonly none = new KeyPrefix('');

    /** The prefix ('' for none). */
    public readonly prefix: string;

    /**
     * @param prefix    the configured prefix ('' or undefined for none).
     */
    public constructor(prefix: string | undefined) {
        this.prefix = prefix ?? '';
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

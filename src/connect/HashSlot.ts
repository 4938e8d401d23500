/** @module connect */

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum Redis Cluster takes of a
// key (or of its hash tag) modulo 16384 to find its slot (Redis Cluster specification, "Keys
// distribution model").
const CRC16_TABLE = (() => {
    const table = new Uint16Array(256);
    for (let byte = 0; byte < 256; byte++) {
        let crc = byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        table[byte] = crc;
    }
    return table;
})();

// For each slot, a short name that hashes to it; built on first need (about 10 ms).
let tagsBySlot: string[] | null = null;

/**
 * Redis Cluster hash slots, computed as the server does, so that names built from a key can be
 * put in that key's slot whatever the key looks like.
 */
export class HashSlot {
    /** Number of slots of a Redis Cluster. */
    public static readonly count = 16384;

    /**
     * The slot of a key: of its hash tag when it has one (the text between the first `{` and the
     * first `}` after it, when not empty), else of the whole key, hashed as UTF-8 bytes.
     *
     * @param key   a key or sharded channel name.
     * @returns the slot, 0 to 16383.
     */
    public static of(key: string): number {
        const bytes = Buffer.from(HashSlot.hashedPart(key), 'utf8');
        let crc = 0;
        for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
        return crc % HashSlot.count;
    }

    /**
     * Tells whether a key has a hash tag: a `{` followed later by a `}`, with at least one
     * character between the first `{` and the first `}` after it.
     *
     * @param key   a key.
     * @returns true when the key's slot comes from its tag.
     */
    public static hasTag(key: string): boolean {
        return HashSlot.hashedPart(key) !== key;
    }

    /**
     * A stem for names that must live in the slot of `prefix + key`: every name that starts with
     * the stem hashes to that slot, and the stem starts with the prefix (so an ACL rule scoped to
     * `prefix*` covers the names too). It is `prefix + key` itself when that has a hash tag (a suffix
     * cannot change the tag); else `prefix{prefix + key}`, whose tag is the whole name; and where
     * stray braces would cut that tag short (`a}b`, `{}a`, a prefix with a brace), a short tag of
     * the same slot, `prefix{tag}key`, or failing that `{tag}prefix+key`. So any key gets
     * companions in its own slot.
     *
     * @param prefix    the key prefix ('' for none).
     * @param key       the key, without the prefix.
     * @returns the stem.
     */
    public static stemFor(prefix: string, key: string): string {
        const named = prefix + key;
        if (HashSlot.hasTag(named)) return named;
        // The common case, on every acquire: no brace that could cut the wrapped tag short, so the
        // tag of `prefix{named}` is `named`, with no checksum to compute.
        if (!prefix.includes('{') && !named.includes('}')) return prefix + '{' + named + '}';
        const slot = HashSlot.of(named);
        const fits = (stem: string) => HashSlot.hasTag(stem) && HashSlot.of(stem) === slot;
        const wrapped = prefix + '{' + named + '}';
        if (fits(wrapped)) return wrapped;
        const tag = '{' + HashSlot.tagOfSlot(slot) + '}';
        return fits(prefix + tag + key) ? prefix + tag + key : tag + named;
    }

    // What Redis hashes: the tag, when the key has a non-empty one, else the whole key.
    private static hashedPart(key: string): string {
        const open = key.indexOf('{');
        if (open < 0) return key;
        const close = key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }

    private static tagOfSlot(slot: number): string {
        if (tagsBySlot == null) {
            const tags: string[] = new Array(HashSlot.count);
            let missing = HashSlot.count;
            for (let n = 0; missing > 0; n++) {
                const tag = n.toString(36);
                const tagSlot = HashSlot.of(tag);
                if (tags[tagSlot] == null) {
                    tags[tagSlot] = tag;
                    missing--;
                }
            }
            tagsBySlot = tags;
        }
        return tagsBySlot[slot];
    }
}

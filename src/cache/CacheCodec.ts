/** @module cache */
import { BadRequestException, InvalidStateException } from 'pip-services4-commons-node';

/**
 * Turns cached values into the JSON text stored in Redis and back.
 *
 * Values go through `JSON.stringify` / `JSON.parse`, as in version 0.0.3, so what comes back is
 * what JSON can carry: a Date comes back as its ISO string, a class instance as a plain object.
 * A value JSON would silently change or cannot represent is refused before anything is written:
 * a BigInt, a function or symbol (also nested), a non-finite number (NaN, ±Infinity, also nested),
 * an invalid Date (JSON would store null) and a cycle. Nested `undefined` properties are dropped, as JSON does.
 *
 * Codes: `INVALID_VALUE` (BadRequestException, on encode; details: `value`, `reason`) and
 * `CORRUPT_VALUE` (InvalidStateException, on decode; details: `key`).
 *
 * @example
 * ```typescript
 * const text = CacheCodec.encode("123", { when: new Date(0) });   // '{"when":"1970-01-01T00:00:00.000Z"}'
 * const value = CacheCodec.decode("123", "key1", text);          // { when: "1970-01-01T00:00:00.000Z" }
 * ```
 */
export class CacheCodec {
    private static readonly _maxShown = 100;

    /**
     * Encodes a value as JSON text.
     *
     * @param traceId   a trace id for the exception.
     * @param value     the value to encode (not null or undefined: the cache deletes those).
     * @returns the JSON text.
     * @throws BadRequestException INVALID_VALUE when JSON cannot represent the value.
     */
    public static encode(traceId: string, value: any): string {
        let refused: { value: any, reason: string } | null = null;
        let text: string | undefined;
        try {
            text = JSON.stringify(value, function (this: any, key: string, item: any) {
                // The replacer sees a Date already through its toJSON (null when invalid): look at the original.
                const original = this[key];
                const reason = original instanceof Date && isNaN(original.getTime())
                    ? 'an invalid Date' : CacheCodec.unrepresentable(item);
                if (reason != null) {
                    refused = { value: original instanceof Date ? original : item, reason };
                    throw new Error(reason);
                }
                return item;
            });
        } catch (err: any) {
            // Whatever JSON.stringify itself refuses (a cycle, a throwing toJSON) is refused too.
            refused ??= { value, reason: /circular/i.test(String(err?.message)) ? 'circular structure' : String(err?.message) };
        }
        if (refused == null && text === undefined) refused = { value, reason: 'not representable in JSON' };
        if (refused != null) {
            const { value: offending, reason } = refused;
            throw new BadRequestException(traceId, 'INVALID_VALUE', 'Cache value cannot be stored as JSON: ' + reason)
                .withDetails('value', CacheCodec.show(offending))
                .withDetails('reason', reason);
        }
        return text!;
    }

    /**
     * Decodes JSON text read from Redis.
     *
     * @param traceId   a trace id for the exception.
     * @param key       the key the text was read from, for the details.
     * @param text      the stored text, or null for a miss.
     * @returns the value, or null for a miss.
     * @throws InvalidStateException CORRUPT_VALUE when the text is not JSON: something other than
     *         this cache wrote the key (see `options.key_prefix`).
     */
    public static decode(traceId: string, key: string, text: string | null): any {
        if (text == null) return null;
        try {
            return JSON.parse(text);
        } catch {
            throw new InvalidStateException(traceId, 'CORRUPT_VALUE',
                'Cached value of ' + key + ' is not JSON; was the key written by something else than this cache?')
                .withDetails('key', key);
        }
    }

    private static unrepresentable(item: any): string | null {
        switch (typeof item) {
            case 'bigint': return 'a BigInt';
            case 'function': return 'a function';
            case 'symbol': return 'a symbol';
            case 'number': return Number.isFinite(item) ? null : 'a non-finite number';
            default: return null;
        }
    }

    private static show(value: any): string {
        let text: string;
        try {
            if (typeof value === 'bigint') text = value.toString() + 'n';
            else if (typeof value === 'function') text = 'function ' + (value.name || '(anonymous)');
            else if (typeof value === 'symbol') text = value.toString();
            else if (typeof value === 'number') text = String(value);
            else text = Object.prototype.toString.call(value);
        } catch {
            text = Object.prototype.toString.call(value);
        }
        return text.length > CacheCodec._maxShown ? text.slice(0, CacheCodec._maxShown) + '…' : text;
    }
}

/** @module connect */
import { BadRequestException } from 'pip-services4-commons-node';

/**
 * Checks the arguments callers pass to the components before anything is sent to Redis, so a bad
 * value gets a BadRequestException naming it rather than a driver or server error.
 *
 * Codes: `INVALID_KEY`, `INVALID_TTL`, `INVALID_TIMEOUT`; details carry the offending value.
 */
export class RedisArguments {
    /**
     * Checks a key: a non-empty string without the NUL character, which the library reserves for
     * the names of its own companion keys (so no caller's key can ever collide with one).
     *
     * @param traceId   a trace id for the exception.
     * @param key       the key to check.
     * @throws BadRequestException INVALID_KEY.
     */
    public static checkKey(traceId: string, key: any): void {
        if (typeof key !== 'string' || key.length == 0 || key.includes('\u0000')) {
            throw new BadRequestException(traceId, 'INVALID_KEY', 'Key must be a non-empty string without NUL characters')
                .withDetails('key', RedisArguments.show(key));
        }
    }

    /**
     * Checks a time to live: a positive integer number of milliseconds.
     *
     * @param traceId   a trace id for the exception.
     * @param ttl       the value to check.
     * @param name      (optional) the argument's name for the details (default: ttl).
     * @throws BadRequestException INVALID_TTL.
     */
    public static checkTtl(traceId: string, ttl: any, name: string = 'ttl'): void {
        if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0) {
            throw new BadRequestException(traceId, 'INVALID_TTL',
                'The ' + name + ' must be a positive integer number of milliseconds')
                .withDetails(name, RedisArguments.show(ttl));
        }
    }

    /**
     * Checks a timeout: a non-negative finite number of milliseconds.
     *
     * @param traceId   a trace id for the exception.
     * @param timeout   the value to check.
     * @throws BadRequestException INVALID_TIMEOUT.
     */
    public static checkTimeout(traceId: string, timeout: any): void {
        if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
            throw new BadRequestException(traceId, 'INVALID_TIMEOUT',
                'Timeout must be a non-negative number of milliseconds')
                .withDetails('timeout', RedisArguments.show(timeout));
        }
    }

    private static show(value: any): string {
        if (typeof value === 'string') return JSON.stringify(value);
        if (typeof value === 'bigint') return value.toString() + 'n';
        try {
            return String(value);
        } catch {
            return Object.prototype.toString.call(value);
        }
    }
}

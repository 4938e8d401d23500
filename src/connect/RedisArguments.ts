/** @module connect */
import { BadRequestException } from 'pip-services4-commons-node';

/**
 * Checks the arguments callers pass to the components before anything is sent to Redis, so a bad
 * value gets a BadRequestException naming it rather than a driver or server error.
 *
 * Codes: `INVALID_KEY`, `INVALID_TTL`, `INVALID_TIMEOUT`, `INVALID_OPTION` (options of a call),
 * `INVALID_FUNCTION`; details carry the offending value.
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
     * @param name      (optional) the argument's name for the message and details (default: timeout).
     * @throws BadRequestException INVALID_TIMEOUT.
     */
    public static checkTimeout(traceId: string, timeout: any, name: string = 'timeout'): void {
        if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
            throw new BadRequestException(traceId, 'INVALID_TIMEOUT',
                'The ' + name + ' must be a non-negative finite number of milliseconds')
                .withDetails(name, RedisArguments.show(timeout));
        }
    }

    /**
     * Checks the options object of a call: absent (null or undefined), or an object whose `signal`
     * is absent or an AbortSignal and whose `watchdog` is absent or a boolean. Numbers are checked
     * by [[checkTtl]] and [[checkTimeout]].
     *
     * @param traceId   a trace id for the exception.
     * @param options   the value to check.
     * @throws BadRequestException INVALID_OPTION (details: `option`, `value`).
     */
    public static checkCallOptions(traceId: string, options: any): void {
        if (options == null) return;
        if (typeof options !== 'object') throw RedisArguments.invalidOption(traceId, 'options', options);
        if (options.signal != null && !(options.signal instanceof AbortSignal)) {
            throw RedisArguments.invalidOption(traceId, 'signal', options.signal);
        }
        if (options.watchdog != null && typeof options.watchdog !== 'boolean') {
            throw RedisArguments.invalidOption(traceId, 'watchdog', options.watchdog);
        }
    }

    /**
     * Checks that a callback argument is a function.
     *
     * @param traceId   a trace id for the exception.
     * @param fn        the value to check.
     * @param name      the argument's name for the details.
     * @throws BadRequestException INVALID_FUNCTION (details: the argument's name, the value's type).
     */
    public static checkFunction(traceId: string, fn: any, name: string): void {
        if (typeof fn !== 'function') {
            throw new BadRequestException(traceId, 'INVALID_FUNCTION', 'The ' + name + ' must be a function')
                .withDetails(name, fn === null ? 'null' : typeof fn);
        }
    }

    private static invalidOption(traceId: string, option: string, value: any): BadRequestException {
        return new BadRequestException(traceId, 'INVALID_OPTION', 'Bad value of the call option ' + option)
            .withDetails('option', option).withDetails('value', RedisArguments.show(value));
    }

    private static show(value: any): string {
        if (typeof value === 'string') return JSON.stringify(value);
        if (typeof value === 'bigint') return value.toString() + 'n';
        // An object's own text could be anything (an array's is its items): show its kind only.
        if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
        try {
            return String(value);
        } catch {
            return Object.prototype.toString.call(value);
        }
    }
}

/** @module connect */
import { ConfigException } from 'pip-services4-commons-node';
import { ConfigParams } from 'pip-services4-components-node';

/**
 * Reads the `options.*` section of a component's configuration, strictly: a typo or an unset
 * substitution variable fails `configure()` with ConfigException `INVALID_OPTION` (details: `option`
 * and `value`) instead of silently becoming a default. The one place the components read options.
 */
export class RedisOptions {
    /** The longest delay Node timers honour: timing options that arm timers directly stay below it. */
    public static readonly maxTimerDelay = 2 ** 31 - 1;

    /**
     * Reads a number of milliseconds: a decimal integer of at least `min` (and at most `max`).
     * An explicitly empty value is refused, not read as absent.
     *
     * @param options       the `options` section.
     * @param name          the option's name.
     * @param min           the smallest value allowed.
     * @param defaultValue  (optional) the value when the option is absent; without one it is required.
     * @param max           (optional) the largest value allowed (default: the largest safe integer).
     * @returns the option's value.
     * @throws ConfigException INVALID_OPTION.
     */
    public static readMillis(options: ConfigParams, name: string, min: number, defaultValue?: number,
        max: number = Number.MAX_SAFE_INTEGER): number {
        return RedisOptions.readInteger(options, name, min, defaultValue, max, 'an integer number of ms');
    }

    /**
     * Reads a count: a decimal integer of at least `min` (and at most `max`).
     *
     * @param options       the `options` section.
     * @param name          the option's name.
     * @param min           the smallest value allowed.
     * @param defaultValue  the value when the option is absent.
     * @param max           (optional) the largest value allowed (default: the largest safe integer).
     * @returns the option's value.
     * @throws ConfigException INVALID_OPTION.
     */
    public static readCount(options: ConfigParams, name: string, min: number, defaultValue: number,
        max: number = Number.MAX_SAFE_INTEGER): number {
        return RedisOptions.readInteger(options, name, min, defaultValue, max, 'an integer');
    }

    private static readInteger(options: ConfigParams, name: string, min: number, defaultValue: number | undefined,
        max: number, what: string): number {
        const raw = RedisOptions.textOf(options, name);
        if (raw == null && defaultValue != null) return defaultValue;
        const value = raw != null && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isSafeInteger(value) || value < min || value > max) {
            throw RedisOptions.invalid(name, raw, 'must be ' + what + ' from ' + min + ' to ' + max);
        }
        return value;
    }

    /**
     * Reads a boolean: true/false, 1/0, yes/no, y/n or t/f (any case).
     *
     * @param options       the `options` section.
     * @param name          the option's name.
     * @returns the option's value, or undefined when it is absent.
     * @throws ConfigException INVALID_OPTION.
     */
    public static readBoolean(options: ConfigParams, name: string): boolean | undefined {
        const raw = RedisOptions.textOf(options, name);
        if (raw == null) return undefined;
        const value = options.getAsNullableBoolean(name);
        if (value == null) throw RedisOptions.invalid(name, raw, 'must be true or false');
        return value;
    }

    /**
     * Reads a text that must not be blank when given.
     *
     * @param options   the `options` section.
     * @param name      the option's name.
     * @returns the option's value, or undefined when it is absent.
     * @throws ConfigException INVALID_OPTION.
     */
    public static readText(options: ConfigParams, name: string): string | undefined {
        const raw = RedisOptions.textOf(options, name);
        if (raw == null) return undefined;
        if (raw.trim() == '') throw RedisOptions.invalid(name, raw, 'must not be empty');
        return raw;
    }

    /**
     * Reads the key prefix: any text without the NUL character, which the library reserves for its
     * companion keys.
     *
     * @param options   the `options` section.
     * @returns the prefix, or undefined when absent.
     * @throws ConfigException INVALID_OPTION.
     */
    public static readKeyPrefix(options: ConfigParams): string | undefined {
        const raw = RedisOptions.textOf(options, 'key_prefix');
        if (raw == null || raw == '') return undefined;
        if (raw.includes('\u0000')) throw RedisOptions.invalid('key_prefix', raw, 'must not contain NUL');
        return raw;
    }

    /**
     * The text of a configuration key: '' when the key is present but empty (ConfigParams reads ""
     * as null), null when it is absent. Connection settings are read through it too.
     *
     * @param params    a configuration section (options, connection, credential).
     * @param name      the key.
     * @returns the text, '' or null.
     */
    public static textOf(params: ConfigParams, name: string): string | null {
        const value = params.getAsNullableString(name);
        if (value != null) return value;
        return params.getKeys().includes(name) ? '' : null;
    }

    private static invalid(name: string, raw: string | null, rule: string): ConfigException {
        return new ConfigException(null as any, 'INVALID_OPTION', 'Option ' + name + ' ' + rule)
            .withDetails('option', name).withDetails('value', raw);
    }
}

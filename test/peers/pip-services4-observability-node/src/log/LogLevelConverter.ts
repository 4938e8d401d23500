/** @module log */
import { StringConverter } from 'pip-services4-commons-node';

import { LogLevel } from './LogLevel';

/**
 * Test stand-in for pip-services4-observability-node `LogLevelConverter`: reads log levels from
 * numbers and names, and writes them back.
 */
export class LogLevelConverter {
    private static readonly _byName: { [name: string]: LogLevel } = {
        '0': LogLevel.None, 'NOTHING': LogLevel.None, 'NONE': LogLevel.None,
        '1': LogLevel.Fatal, 'FATAL': LogLevel.Fatal,
        '2': LogLevel.Error, 'ERROR': LogLevel.Error,
        '3': LogLevel.Warn, 'WARN': LogLevel.Warn, 'WARNING': LogLevel.Warn,
        '4': LogLevel.Info, 'INFO': LogLevel.Info,
        '5': LogLevel.Debug, 'DEBUG': LogLevel.Debug,
        '6': LogLevel.Trace, 'TRACE': LogLevel.Trace
    };

    /**
     * Reads a log level from a number (0-6) or a name in any case (`none`/`nothing`, `fatal`,
     * `error`, `warn`/`warning`, `info`, `debug`, `trace`).
     *
     * As the real converter does, a null or undefined value gives Info, NOT the default: the
     * default only applies to values that are present but unknown.
     *
     * @param value         the value to read.
     * @param defaultValue  (optional) the level for an unknown value (default: Info).
     * @returns the log level.
     */
    public static toLogLevel(value: any, defaultValue: LogLevel = LogLevel.Info): LogLevel {
        if (value == null) return LogLevel.Info;
        const name = StringConverter.toString(value).toUpperCase();
        const level = Object.prototype.hasOwnProperty.call(LogLevelConverter._byName, name)
            ? LogLevelConverter._byName[name] : undefined;
        return level ?? defaultValue;
    }

    /**
     * Names a log level. Compares loosely (`==`), as the real converter does, so `"2"` names Error.
     *
     * @param level     the log level.
     * @returns `FATAL`, `ERROR`, `WARN`, `INFO`, `DEBUG`, `TRACE`, or `UNDEF` for None and anything else.
     */
    public static toString(level: LogLevel): string {
        const found = LogLevelConverter.known(level);
        return found == null ? 'UNDEF' : LogLevelConverter._names[found - 1];
    }

    /**
     * The number of a log level. Compares loosely (`==`), as the real converter does.
     *
     * @param level     the log level.
     * @returns 1 (Fatal) to 6 (Trace), 0 for None and anything else.
     */
    public static toInteger(level: LogLevel): number {
        return LogLevelConverter.known(level) ?? 0;
    }

    private static readonly _names = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

    // The level from Fatal to Trace that equals the value loosely, or null.
    private static known(level: any): LogLevel | null {
        for (let candidate = LogLevel.Fatal; candidate <= LogLevel.Trace; candidate++) {
             
            if (level == candidate) return candidate;
        }
        return null;
    }
}

import { assert } from 'chai';
import { ConfigParams, Context, IContext } from 'pip-services4-components-node';

import { ConsoleLogger, Logger, LogLevel, LogLevelConverter } from '../../src';

/** A Logger that records what reaches write(). */
class WrittenLogger extends Logger {
    public readonly written: { level: LogLevel, message: string, error: Error }[] = [];

    public constructor() {
        super();
    }

    protected write(level: LogLevel, context: IContext, error: Error, message: string): void {
        this.written.push({ level, message, error });
    }

    public describe(error: Error): string {
        return this.composeError(error);
    }
}

/** Runs fn with console.log and console.error captured. */
function captureConsole(fn: () => void): { out: string[], err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (line: string) => { out.push(line); };
    console.error = (line: string) => { err.push(line); };
    try {
        fn();
    } finally {
        console.log = log;
        console.error = error;
    }
    return { out, err };
}

suite('Logger', () => {
    test('starts at Info; the base class filters nothing', () => {
        const logger = new WrittenLogger();
        assert.strictEqual(logger.getLevel(), LogLevel.Info);
        logger.setLevel(LogLevel.Error);
        logger.trace(null as any, 't');
        assert.deepEqual(logger.written.map(w => w.level), [LogLevel.Trace]);
    });

    test('configure reads level and source; without level it goes back to Info', () => {
        const logger = new WrittenLogger();
        logger.configure(ConfigParams.fromTuples('level', 'debug', 'source', 'svc'));
        assert.strictEqual(logger.getLevel(), LogLevel.Debug);
        assert.strictEqual(logger.getSource(), 'svc');
        logger.configure(ConfigParams.fromTuples('source', 'other'));
        assert.strictEqual(logger.getLevel(), LogLevel.Info, 'a missing level is read as Info, not kept');
        logger.setLevel(LogLevel.Trace);
        logger.configure(ConfigParams.fromTuples('level', 'loud'));
        assert.strictEqual(logger.getLevel(), LogLevel.Trace, 'an unknown level keeps the current one');
    });

    test('composeError joins message, cause and stack', () => {
        const logger = new WrittenLogger();
        const error: any = new Error('outer');
        error.cause = 'inner';
        const text = logger.describe(error);
        assert.match(text, /^outer Caused by: inner Stack trace: Error: outer/);
        const bare = new Error('bare');
        bare.stack = undefined;
        assert.strictEqual(logger.describe(bare), 'bare');
    });
});

suite('LogLevelConverter', () => {
    test('reads numbers and names in any case', () => {
        const cases: [any, LogLevel][] = [[0, LogLevel.None], ['nothing', LogLevel.None], ['None', LogLevel.None],
            [1, LogLevel.Fatal], ['fatal', LogLevel.Fatal], ['2', LogLevel.Error], ['ERROR', LogLevel.Error],
            [3, LogLevel.Warn], ['warning', LogLevel.Warn], ['Warn', LogLevel.Warn], [4, LogLevel.Info], ['info', LogLevel.Info],
            [5, LogLevel.Debug], ['DEBUG', LogLevel.Debug], [6, LogLevel.Trace], ['trace', LogLevel.Trace]];
        for (const [value, level] of cases) assert.strictEqual(LogLevelConverter.toLogLevel(value), level, String(value));
    });

    test('null gives Info whatever the default; an unknown value gives the default', () => {
        assert.strictEqual(LogLevelConverter.toLogLevel(null, LogLevel.Debug), LogLevel.Info);
        assert.strictEqual(LogLevelConverter.toLogLevel(undefined, LogLevel.Error), LogLevel.Info);
        assert.strictEqual(LogLevelConverter.toLogLevel('verbose', LogLevel.Debug), LogLevel.Debug);
        assert.strictEqual(LogLevelConverter.toLogLevel(7), LogLevel.Info);
    });

    test('names and numbers', () => {
        assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(l => LogLevelConverter.toString(l)),
            ['UNDEF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'UNDEF']);
        assert.deepEqual([0, 1, 6, 9].map(l => LogLevelConverter.toInteger(l)), [0, 1, 6, 0]);
    });
});

suite('ConsoleLogger', () => {
    test('writes at its level and below, warnings and errors to console.error', () => {
        const logger = new ConsoleLogger();
        const { out, err } = captureConsole(() => {
            logger.debug(null as any, 'hidden');
            logger.info(Context.fromTraceId('t7'), 'shown %d', 1);
            logger.warn(null as any, 'careful');
            logger.error(null as any, new Error('bad'), 'failed');
            logger.error(null as any, new Error('bare'), '');
        });
        assert.lengthOf(out, 1);
        assert.match(out[0], /^\[t7:INFO:[^\]]+\] shown 1$/);
        assert.lengthOf(err, 3);
        assert.match(err[0], /^\[---:WARN:[^\]]+\] careful$/);
        assert.match(err[1], /^\[---:ERROR:[^\]]+\] failed: bad Stack trace: Error: bad/);
        assert.match(err[2], /^\[---:ERROR:[^\]]+\] Error: bare Stack trace/);
    });
});

/*
 * Real behaviour → test:
 * - Logger base never filters by level → 'starts at Info; the base class filters nothing'
 * - configure without `level` resets to Info (LogLevelConverter.toLogLevel(null) → Info) → 'configure reads level…'
 * - composeError: message + " Caused by: " + cause + " Stack trace: " + stack → 'composeError joins…'
 * - toLogLevel names/numbers, null → Info, unknown → default → 'reads numbers…', 'null gives Info…'
 * - toString/toInteger → 'names and numbers'
 * - ConsoleLogger: filters in write, "[trace:LEVEL:time] msg", ": " or "Error: " + error, stderr for fatal/error/warn → 'ConsoleLogger'
 */

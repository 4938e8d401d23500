import { assert } from 'chai';
import { Context, Descriptor, References } from 'pip-services4-components-node';

import { CompositeLogger, ILogger, Logger, LogLevel, NullLogger } from '../../src';
import { RecordingLogger } from '../Recorders';

suite('CompositeLogger', () => {
    test('passes every message to each logger found under *:logger:*:*:* (any version)', () => {
        const first = new RecordingLogger();
        const second = new RecordingLogger();
        const logger = new CompositeLogger();
        logger.setReferences(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'first', 'default', '1.0'), first,
            new Descriptor('my', 'logger', 'second', 'x', '2.0'), second,
            new Descriptor('pip-services', 'counters', 'log', 'default', '1.0'), new RecordingLogger()
        ));
        const error = new Error('boom');
        const context = Context.fromTraceId('t1');
        logger.error(context, error, 'failed %s', 'job');
        for (const destination of [first, second]) {
            assert.lengthOf(destination.calls, 1);
            const call = destination.calls[0];
            assert.strictEqual(call.level, LogLevel.Error);
            assert.strictEqual(call.context, context);
            assert.strictEqual(call.error, error);
            assert.strictEqual(call.message, 'failed job');
            assert.deepEqual(call.args, [], 'the message arrives formatted, without its arguments');
        }
    });

    test('the constructor takes references and sets them', () => {
        const destination = new RecordingLogger();
        const logger = new CompositeLogger(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        logger.info(null as any, 'hello');
        assert.lengthOf(destination.calls, 1);
    });

    test('skips references without a log function', () => {
        const destination = new RecordingLogger();
        const logger = new CompositeLogger(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'odd', 'default', '1.0'), { info: () => assert.fail('called') },
            new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        logger.info(null as any, 'hello');
        assert.lengthOf(destination.calls, 1);
    });

    test('its own level filters nothing: each destination gets every level', () => {
        const destination = new RecordingLogger();
        const logger = new CompositeLogger(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        logger.setLevel(LogLevel.None);
        logger.trace(null as any, 'trace');
        logger.debug(null as any, 'debug');
        logger.log(LogLevel.Warn, null as any, null as any, 'warn');
        assert.deepEqual(destination.calls.map(c => c.level), [LogLevel.Trace, LogLevel.Debug, LogLevel.Warn]);
    });

    test('formats with util.format only when arguments are given; a null message becomes ""', () => {
        const destination = new RecordingLogger();
        const logger = new CompositeLogger(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        logger.info(null as any, '100%s done %d');
        logger.info(null as any, '%s of %d at %j', 'part', 3, { a: 1 });
        logger.info(null as any, 'extra', 'arg');
        logger.warn(null as any, null as any);
        assert.deepEqual(destination.calls.map(c => c.message),
            ['100%s done %d', 'part of 3 at {"a":1}', 'extra arg', '']);
    });

    test('warn, info, debug and trace pass a null error; fatal and error pass theirs', () => {
        const destination = new RecordingLogger();
        const logger = new CompositeLogger(References.fromTuples(
            new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        const error = new Error('e');
        logger.fatal(null as any, error, 'f');
        logger.warn(null as any, 'w');
        assert.strictEqual(destination.calls[0].level, LogLevel.Fatal);
        assert.strictEqual(destination.calls[0].error, error);
        assert.isNull(destination.calls[1].error);
    });

    test('setReferences twice adds the loggers twice', () => {
        const destination = new RecordingLogger();
        const references = References.fromTuples(new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination);
        const logger = new CompositeLogger();
        logger.setReferences(references);
        logger.setReferences(references);
        logger.info(null as any, 'once');
        assert.lengthOf(destination.calls, 2);
    });

    test('does not leave itself out: registered as a logger, it calls itself until the stack overflows', () => {
        const logger = new CompositeLogger();
        logger.setReferences(References.fromTuples(new Descriptor('pip-services', 'logger', 'composite', 'default', '1.0'), logger));
        assert.throws(() => logger.info(null as any, 'loop'), RangeError);
    });

    test('a NullLogger destination takes messages and drops them', () => {
        const sink: ILogger = new NullLogger();
        const logger = new CompositeLogger(References.fromTuples(new Descriptor('pip-services', 'logger', 'null', 'default', '1.0'), sink));
        logger.error(null as any, new Error('x'), 'dropped');
        assert.strictEqual(sink.getLevel(), LogLevel.None);
        sink.setLevel(LogLevel.Trace);
        assert.strictEqual(sink.getLevel(), LogLevel.None);
    });

    test('is a Logger: configure reads level and source; source comes from context-info when not configured', () => {
        const logger = new CompositeLogger();
        assert.isTrue(logger instanceof Logger);
        logger.setReferences(References.fromTuples(
            new Descriptor('pip-services', 'context-info', 'default', 'default', '1.0'), { name: 'orders' }));
        assert.strictEqual(logger.getSource(), 'orders');
    });
});

/*
 * Real behaviour → test:
 * - collects every *:logger:*:*:* with a `log` function → 'passes every message…', 'skips references without a log function'
 * - constructor(references) calls setReferences → 'the constructor takes references…'
 * - does not exclude itself → 'does not leave itself out…'
 * - appends on each setReferences → 'setReferences twice…'
 * - write ignores the composite's own level → 'its own level filters nothing…'
 * - child gets log(level, context, error, formattedMessage), util.format only with args → 'formats with util.format…'
 * - Logger.setReferences takes the source from pip-services:context-info:*:*:1.0 → 'is a Logger…'
 */

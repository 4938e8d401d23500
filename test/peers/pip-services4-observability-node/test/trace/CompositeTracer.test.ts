import { assert } from 'chai';
import { ConfigParams, Context, Descriptor, References } from 'pip-services4-components-node';

import { CompositeTracer, LogLevel, LogTracer, NullTracer, TraceTiming } from '../../src';
import { RecordingLogger, RecordingTracer, withWallClock } from '../Recorders';

function tracerAt(kind: string, version = '1.0'): Descriptor {
    return new Descriptor('pip-services', 'tracer', kind, 'default', version);
}

suite('CompositeTracer', () => {
    test('the constructor sets references: collects *:tracer:*:*:* except itself, any version', () => {
        const first = new RecordingTracer();
        const second = new RecordingTracer();
        const references = References.fromTuples(tracerAt('first'), first, tracerAt('second', '2.0'), second);
        const tracer = new CompositeTracer(references);
        references.put(tracerAt('composite'), tracer);
        tracer.setReferences(references);
        const context = Context.fromTraceId('t1');
        tracer.trace(context, 'comp', 'op', 12);
        assert.lengthOf(first.calls, 2, 'added once by the constructor, once by setReferences; never itself');
        assert.deepEqual(second.calls[0], { kind: 'trace', context, component: 'comp', operation: 'op', duration: 12 });
    });

    test('passes failures on with their error', () => {
        const destination = new RecordingTracer();
        const tracer = new CompositeTracer(References.fromTuples(tracerAt('x'), destination));
        const error = new Error('boom');
        tracer.failure(null as any, 'comp', 'op', error, 3);
        assert.deepEqual(destination.calls, [{ kind: 'failure', context: null as any, component: 'comp', operation: 'op', error, duration: 3 }]);
    });

    test('beginTrace times on the wall clock; endTrace and endFailure report to the tracers', () => {
        const destination = new RecordingTracer();
        const tracer = new CompositeTracer(References.fromTuples(tracerAt('x'), destination));
        const timing = withWallClock([100], () => tracer.beginTrace(null as any, 'comp', 'op'));
        withWallClock([140], () => timing.endTrace());
        const error = new Error('late');
        withWallClock([175], () => timing.endFailure(error));
        assert.deepEqual(destination.calls.map(c => [c.kind, c.duration, c.error]), [['trace', 40, undefined], ['failure', 75, error]]);
    });

    test('a TraceTiming without a tracer does nothing; NullTracer records nothing', () => {
        const timing = new TraceTiming(null as any, 'comp', 'op');
        timing.endTrace();
        timing.endFailure(new Error('x'));
        const nothing = new NullTracer();
        nothing.NullTracer();
        nothing.beginTrace(null as any, 'comp', 'op').endTrace();
        nothing.failure(null as any, 'comp', 'op', new Error('x'), 1);
    });
});

suite('LogTracer', () => {
    test('logs successes at Debug and failures at Error', () => {
        const destination = new RecordingLogger();
        const tracer = new LogTracer();
        tracer.setReferences(References.fromTuples(new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        const error = new Error('bad');
        tracer.trace(null as any, 'comp', 'op', 12);
        tracer.trace(null as any, 'comp', '', 0);
        tracer.failure(null as any, 'comp', 'op', error, 5);
        assert.deepEqual(destination.calls.map(c => [c.level, c.message]), [
            [LogLevel.Debug, 'Executed comp.op in 12 msec'],
            [LogLevel.Debug, 'Executed comp'],
            [LogLevel.Error, 'Failed to execute comp.op in 5 msec']
        ]);
        assert.strictEqual(destination.calls[2].error, error);
    });

    test('options.log_level sets the level of successes; a configuration without it sets Info', () => {
        const destination = new RecordingLogger();
        const tracer = new LogTracer();
        tracer.setReferences(References.fromTuples(new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        tracer.configure(ConfigParams.fromTuples('options.log_level', 'trace'));
        tracer.trace(null as any, 'comp', 'op', 1);
        tracer.configure(new ConfigParams());
        tracer.trace(null as any, 'comp', 'op', 1);
        assert.deepEqual(destination.calls.map(c => c.level), [LogLevel.Trace, LogLevel.Info]);
    });
});

/*
 * Real behaviour → test:
 * - constructor(references) calls setReferences; collects *:tracer:*:*:* except itself; appends → 'the constructor sets references…'
 * - trace/failure passed on → 'passes failures on…'
 * - TraceTiming(context, component, operation, tracer?) endTrace/endFailure on new Date().getTime() → 'beginTrace times…'
 * - no tracer → nothing; NullTracer has a method named NullTracer → 'a TraceTiming without a tracer…'
 * - LogTracer messages and levels → 'LogTracer'
 */

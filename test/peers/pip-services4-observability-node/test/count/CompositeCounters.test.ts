import { assert } from 'chai';
import { Descriptor, References } from 'pip-services4-components-node';

import { CompositeCounters, CounterType, NullCounters } from '../../src';
import { MemoryCounters, withWallClock } from '../Recorders';

function countersAt(kind: string, version = '1.0'): Descriptor {
    return new Descriptor('pip-services', 'counters', kind, 'default', version);
}

suite('CompositeCounters', () => {
    test('new CompositeCounters(references) ignores the references (there is no such constructor)', () => {
        const sink = new MemoryCounters();
        const Composite: any = CompositeCounters;
        const counters = new Composite(References.fromTuples(countersAt('memory'), sink));
        counters.incrementOne('calls');
        assert.lengthOf(sink.getAll(), 0);
    });

    test('the method named CompositeCounters sets references', () => {
        const sink = new MemoryCounters();
        const counters = new CompositeCounters();
        counters.CompositeCounters(References.fromTuples(countersAt('memory'), sink));
        counters.incrementOne('calls');
        assert.strictEqual(sink.get('calls', CounterType.Increment).count, 1);
    });

    test('collects every *:counters:*:*:* except itself, any version; twice means twice', () => {
        const first = new MemoryCounters();
        const second = new MemoryCounters();
        const counters = new CompositeCounters();
        const references = References.fromTuples(countersAt('first'), first, countersAt('second', '2.0'), second,
            countersAt('composite'), counters);
        counters.setReferences(references);
        counters.increment('calls', 2);
        assert.strictEqual(first.get('calls', CounterType.Increment).count, 2);
        assert.strictEqual(second.get('calls', CounterType.Increment).count, 2);
        counters.setReferences(references);
        counters.increment('more', 1);
        assert.strictEqual(first.get('more', CounterType.Increment).count, 2);
    });

    test('increment and incrementOne throw for a null or empty name, even without counters', () => {
        const counters = new CompositeCounters();
        for (const name of [null, undefined, '']) {
            assert.throws(() => counters.increment(name as any, 1), Error, 'Name cannot be null');
            assert.throws(() => counters.incrementOne(name as any), Error, 'Name cannot be null');
        }
        counters.stats('', 1);
        counters.last(null as any, 1);
        counters.timestampNow('');
        counters.beginTiming('').endTiming();
    });

    test('passes stats, last and timestamps on', () => {
        const sink = new MemoryCounters();
        const counters = new CompositeCounters();
        counters.setReferences(References.fromTuples(countersAt('memory'), sink));
        counters.stats('size', 3);
        counters.stats('size', 5);
        counters.last('queue', 7);
        const at = new Date(2020, 1, 1);
        counters.timestamp('seen', at);
        counters.timestampNow('now');
        const size = sink.get('size', CounterType.Statistics);
        assert.deepInclude(size, { count: 2, min: 3, max: 5, average: 4, last: 5 });
        assert.strictEqual(sink.get('queue', CounterType.LastValue).last, 7);
        assert.strictEqual(sink.get('seen', CounterType.Timestamp).time, at);
        assert.instanceOf(sink.get('now', CounterType.Timestamp).time, Date);
    });

    test('beginTiming measures on the wall clock and records an Interval in every counter', () => {
        const sink = new MemoryCounters();
        const counters = new CompositeCounters();
        counters.setReferences(References.fromTuples(countersAt('memory'), sink));
        const timing = withWallClock([1000], () => counters.beginTiming('op.exec_time'));
        withWallClock([1250], () => timing.endTiming());
        const interval = sink.get('op.exec_time', CounterType.Interval);
        assert.deepInclude(interval, { count: 1, last: 250, min: 250, max: 250, average: 250 });
    });

    test('endTiming does not check its counters: a NullCounters among them makes it throw a TypeError', () => {
        const sink = new MemoryCounters();
        const counters = new CompositeCounters();
        counters.setReferences(References.fromTuples(countersAt('memory'), sink, countersAt('null'), new NullCounters()));
        assert.throws(() => counters.beginTiming('op.exec_time').endTiming(), TypeError);
        assert.throws(() => counters.endTiming('op.exec_time', 5), TypeError);
        counters.incrementOne('calls');
        counters.stats('size', 1);
    });
});

/*
 * Real behaviour → test:
 * - no real constructor (a method named CompositeCounters) → 'new CompositeCounters(references) ignores…', 'the method named…'
 * - collects *:counters:*:*:* except itself, appends on each call → 'collects every…'
 * - increment/incrementOne: Error("Name cannot be null") for null/"" → 'increment and incrementOne throw…'
 * - other methods pass any name → 'increment and incrementOne throw…' (last lines)
 * - endTiming without a check: TypeError with a NullCounters child → 'endTiming does not check…'
 * - CounterTiming on new Date().getTime() → 'beginTiming measures on the wall clock…'
 */

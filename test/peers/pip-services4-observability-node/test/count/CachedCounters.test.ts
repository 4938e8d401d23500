import { assert } from 'chai';
import { ConfigParams, Descriptor, References } from 'pip-services4-components-node';

import { CounterTiming, CounterType, LogCounters, NullCounters } from '../../src';
import { MemoryCounters, RecordingLogger, withWallClock } from '../Recorders';

suite('CounterTiming', () => {
    test('without a callback, endTiming does nothing', () => {
        new CounterTiming().endTiming();
        new CounterTiming('name').endTiming();
        new NullCounters().beginTiming('name').endTiming();
    });

    test('reports whole wall-clock ms from creation, each time it ends', () => {
        const reported: [string, number][] = [];
        const callback = { endTiming: (name: string, elapsed: number) => { reported.push([name, elapsed]); } };
        const timing = withWallClock([500], () => new CounterTiming('t', callback));
        withWallClock([520], () => timing.endTiming());
        withWallClock([530], () => timing.endTiming());
        assert.deepEqual(reported, [['t', 20], ['t', 30]]);
    });
});

suite('CachedCounters', () => {
    test('defaults and configuration (root or options.*)', () => {
        const counters = new MemoryCounters();
        assert.strictEqual(counters.getInterval(), 300000);
        counters.configure(ConfigParams.fromTuples('interval', 1000, 'options.reset_timeout', 50));
        assert.strictEqual(counters.getInterval(), 1000);
        counters.configure(ConfigParams.fromTuples('options.interval', 2000));
        assert.strictEqual(counters.getInterval(), 2000);
    });

    test('statistics, intervals, last values, timestamps and increments', () => {
        const counters = new MemoryCounters();
        counters.endTiming('t', 10);
        counters.endTiming('t', 30);
        counters.increment('n', 2);
        counters.incrementOne('n');
        counters.last('l', 4);
        assert.deepInclude(counters.get('t', CounterType.Interval), { count: 2, min: 10, max: 30, average: 20, last: 30 });
        assert.strictEqual(counters.get('n', CounterType.Increment).count, 3);
        assert.deepEqual(counters.getAll().map(c => c.name), ['t', 'n', 'l']);
    });

    test('a name recorded under another type starts a fresh counter of that type', () => {
        const counters = new MemoryCounters();
        counters.endTiming('x', 10);
        counters.stats('x', 99);
        const x = counters.getAll().find(c => c.name == 'x')!;
        assert.strictEqual(x.type, CounterType.Statistics);
        assert.strictEqual(x.count, 1);
    });

    test('a null or empty name throws from every recording method', () => {
        const counters = new MemoryCounters();
        for (const record of [() => counters.increment('', 1), () => counters.stats(null as any, 1),
            () => counters.endTiming('', 1), () => counters.last('', 1), () => counters.timestampNow('')]) {
            assert.throws(record, Error, 'Name cannot be null');
        }
    });

    test('saves everything when a recording comes after the interval, not before', () => {
        const counters = new MemoryCounters();
        counters.setInterval(1000);
        (counters as any)._lastDumpTime = 0;
        withWallClock([500], () => counters.incrementOne('a'));
        assert.lengthOf(counters.saved, 0);
        withWallClock([1001, 1001], () => counters.incrementOne('b'));
        assert.lengthOf(counters.saved, 1);
        assert.deepEqual(counters.saved[0].map(c => c.name), ['a', 'b']);
        counters.dump();
        assert.lengthOf(counters.saved, 1, 'nothing recorded since the last save');
    });
});

suite('LogCounters', () => {
    test('logs each counter at Info, sorted by name, with the fields it has', () => {
        const destination = new RecordingLogger();
        const counters = new LogCounters();
        counters.setReferences(References.fromTuples(new Descriptor('pip-services', 'logger', 'x', 'default', '1.0'), destination));
        counters.increment('b.calls', 2);
        counters.stats('a.size', 4);
        counters.dump();
        assert.deepEqual(destination.calls.map(c => c.message), [
            'Counter a.size { "type": 2, "last": 4, "count": 1, "min": 4, "max": 4, "avg": 4 }',
            'Counter b.calls { "type": 4, "count": 2 }'
        ]);
        assert.isNull(destination.calls[0].context);
    });
});

/*
 * Real behaviour → test:
 * - CounterTiming: no callback → nothing; new Date().getTime() whole ms → 'without a callback…', 'reports whole wall-clock ms…'
 * - CachedCounters: interval 300000, (options.)interval/reset_timeout → 'defaults and configuration…'
 * - counter found by name AND type → 'a name recorded under another type…'
 * - "Name cannot be null" → 'a null or empty name throws…'
 * - dump on a recording after the interval, all counters → 'saves everything when…'
 * - LogCounters format, sorted, Info with null context → 'LogCounters'
 */

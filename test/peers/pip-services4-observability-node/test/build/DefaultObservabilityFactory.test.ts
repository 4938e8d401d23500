import { assert } from 'chai';
import { Descriptor, Factory } from 'pip-services4-components-node';

import {
    CompositeCounters, CompositeLogger, CompositeTracer, ConsoleLogger, DefaultObservabilityFactory,
    LogCounters, LogTracer, NullCounters, NullLogger, NullTracer
} from '../../src';

suite('DefaultObservabilityFactory', () => {
    const factory = new DefaultObservabilityFactory();
    const at = (type: string, kind: string) => new Descriptor('pip-services', type, kind, 'default', '1.0');

    test('is a Factory', () => {
        assert.instanceOf(factory, Factory);
    });

    test('creates the null, log/console and composite loggers, counters and tracers', () => {
        const expected: [string, string, any][] = [
            ['counters', 'null', NullCounters], ['counters', 'log', LogCounters], ['counters', 'composite', CompositeCounters],
            ['logger', 'null', NullLogger], ['logger', 'console', ConsoleLogger], ['logger', 'composite', CompositeLogger],
            ['tracer', 'null', NullTracer], ['tracer', 'log', LogTracer], ['tracer', 'composite', CompositeTracer]
        ];
        for (const [type, kind, cls] of expected) assert.instanceOf(factory.create(at(type, kind)), cls, type + ':' + kind);
    });

    test('registration order decides wildcard queries; other versions are not served', () => {
        for (const type of ['counters', 'logger', 'tracer']) {
            assert.strictEqual(factory.canCreate(new Descriptor('pip-services', type, '*', '*', '1.0')).toString(),
                'pip-services:' + type + ':null:*:1.0');
            assert.isNull(factory.canCreate(new Descriptor('pip-services', type, 'null', 'default', '2.0')));
        }
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'logger', 'prometheus', 'default', '1.0')));
    });
});

/*
 * Real behaviour → test:
 * - the nine registrations, counters then logger then tracer, null/log(console)/composite → every test above
 */

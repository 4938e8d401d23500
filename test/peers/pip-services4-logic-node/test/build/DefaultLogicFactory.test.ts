import { assert } from 'chai';
import { Descriptor, Factory } from 'pip-services4-components-node';

import { DefaultLogicFactory, MemoryCache, MemoryLock, NullCache, NullLock } from '../../src';

suite('DefaultLogicFactory', () => {
    const factory = new DefaultLogicFactory();

    test('is a Factory', () => {
        assert.instanceOf(factory, Factory);
    });

    test('creates the registered caches and locks', () => {
        assert.instanceOf(factory.create(new Descriptor('pip-services', 'cache', 'memory', 'default', '1.0')), MemoryCache);
        assert.instanceOf(factory.create(new Descriptor('pip-services', 'cache', 'null', 'default', '1.0')), NullCache);
        assert.instanceOf(factory.create(new Descriptor('pip-services', 'lock', 'null', 'default', '1.0')), NullLock);
        assert.instanceOf(factory.create(new Descriptor('pip-services', 'lock', 'memory', 'default', '1.0')), MemoryLock);
    });

    test('canCreate returns the registered locator; registration order decides wildcard queries', () => {
        const locator = factory.canCreate(new Descriptor('pip-services', 'lock', 'memory', 'x', '1.0'));
        assert.strictEqual(locator.toString(), 'pip-services:lock:memory:*:1.0');
        assert.strictEqual(factory.canCreate(new Descriptor('pip-services', 'cache', '*', '*', '1.0')).toString(),
            'pip-services:cache:memory:*:1.0');
        assert.strictEqual(factory.canCreate(new Descriptor('pip-services', 'lock', '*', '*', '1.0')).toString(),
            'pip-services:lock:null:*:1.0');
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'lock', 'memory', 'x', '2.0')));
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'lock', 'redis', 'x', '1.0')));
    });

    test('state-store registrations are deliberately omitted', () => {
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'state-store', 'memory', 'x', '1.0')));
        assert.isNull(factory.create(new Descriptor('pip-services', 'state-store', 'null', 'x', '1.0')));
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'factory', 'logic', 'default', '1.0')));
    });
});

/*
 * Contract edge cases (§3.7) → test:
 * - registration order cache:memory, cache:null, lock:null, lock:memory → 'canCreate returns the registered locator…'
 * - own factory descriptor never registered → 'state-store registrations are deliberately omitted'
 * Deliberately not reproduced: pip-services:state-store:{memory,null}:*:1.0 (state stores are not part of
 * this stand-in; the Redis library does not use them).
 */

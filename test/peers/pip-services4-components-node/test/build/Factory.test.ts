import { assert } from 'chai';
import { InternalException } from 'pip-services4-commons-node';

import { CompositeFactory, CreateException, Descriptor, Factory } from '../../src';

class Thing {
    public readonly args: number;
    public constructor(...args: any[]) {
        this.args = args.length;
    }
}

function catchError(action: () => any): any {
    try {
        action();
    } catch (ex) {
        return ex;
    }
    assert.fail('expected an error');
}

suite('Factory', () => {
    const registered = new Descriptor('pip-services', 'lock', 'redis', '*', '1.0');

    test('register/registerAsType reject null locator and factory', () => {
        const factory = new Factory();
        assert.throws(() => factory.register(null, () => 1), Error, 'Locator cannot be null');
        assert.throws(() => factory.register('a', null as any), Error, 'Factory cannot be null');
        assert.throws(() => factory.registerAsType(null, Thing), Error, 'Locator cannot be null');
        assert.throws(() => factory.registerAsType('a', null), Error, 'Factory cannot be null');
    });

    test('canCreate returns the registered locator', () => {
        const factory = new Factory();
        factory.registerAsType(registered, Thing);
        const result = factory.canCreate(new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0'));
        assert.strictEqual(result, registered);
        assert.strictEqual(result.toString(), 'pip-services:lock:redis:*:1.0');
        assert.isNull(factory.canCreate(new Descriptor('pip-services', 'lock', 'redis', 'default', '2.0')));
        assert.isNull(factory.canCreate('pip-services:lock:redis:default:1.0'));
    });

    test('canCreate uses registration order and loose equality for plain locators', () => {
        const factory = new Factory();
        const first = new Descriptor('g', 't', '*', '*', '*');
        const second = new Descriptor('g', 't', 'k', '*', '*');
        factory.register(first, () => 'first');
        factory.register(second, () => 'second');
        factory.register('42', () => 'plain');
        assert.strictEqual(factory.canCreate(new Descriptor('g', 't', 'k', 'n', 'v')), first);
        assert.strictEqual(factory.create(new Descriptor('g', 't', 'k', 'n', 'v')), 'first');
        assert.strictEqual(factory.canCreate(42), '42');
        assert.strictEqual(factory.create(42), 'plain');
    });

    test('canCreate(null) throws TypeError when Descriptor registrations exist', () => {
        const factory = new Factory();
        factory.registerAsType(registered, Thing);
        assert.throws(() => factory.canCreate(null), TypeError);
    });

    test('registerAsType instantiates with new type() and no arguments', () => {
        const factory = new Factory();
        factory.registerAsType(registered, Thing);
        const result = factory.create(new Descriptor('pip-services', 'lock', 'redis', 'x', '1.0'));
        assert.instanceOf(result, Thing);
        assert.strictEqual(result.args, 0);
    });

    test('register passes the requested locator to the factory function', () => {
        const factory = new Factory();
        factory.register(registered, (locator) => locator);
        const requested = new Descriptor('pip-services', 'lock', 'redis', 'x', '1.0');
        assert.strictEqual(factory.create(requested), requested);
    });

    test('create with no match returns null (no throw)', () => {
        const factory = new Factory();
        factory.registerAsType(registered, Thing);
        assert.isNull(factory.create(new Descriptor('pip-services', 'cache', 'redis', 'x', '1.0')));
    });

    test('create wraps a thrown factory error in CreateException with cause', () => {
        const factory = new Factory();
        factory.register(registered, () => { throw new Error('boom'); });
        const error = catchError(() => factory.create(new Descriptor('pip-services', 'lock', 'redis', 'x', '1.0')));
        assert.strictEqual(error.code, 'CANNOT_CREATE');
        assert.strictEqual(error.message, 'Failed to create object for pip-services:lock:redis:x:1.0');
        assert.strictEqual(error.cause, 'boom');
    });

    test('create wraps even a CreateException (instanceof check never fires)', () => {
        const factory = new Factory();
        factory.register('a', () => { throw new CreateException('t1', 'inner'); });
        const error = catchError(() => factory.create('a'));
        assert.strictEqual(error.code, 'CANNOT_CREATE');
        assert.strictEqual(error.message, 'Failed to create object for a');
        assert.strictEqual(error.cause, 'inner');
        assert.isNull(error.trace_id);
    });
});

suite('CreateException', () => {
    test('string argument is the message', () => {
        const error: any = new CreateException('123', 'Custom message');
        assert.strictEqual(error.code, 'CANNOT_CREATE');
        assert.strictEqual(error.message, 'Custom message');
        assert.strictEqual(error.trace_id, '123');
        assert.strictEqual(error.category, 'Internal');
        assert.strictEqual(error.status, 500);
        assert.isTrue(error.details == null || error.details.get('locator') == null);
    });

    test('non-string argument is a locator', () => {
        const error: any = new CreateException(null, new Descriptor('g', 't', 'k', 'n', 'v'));
        assert.strictEqual(error.message, 'Requested component g:t:k:n:v cannot be created');
        assert.strictEqual(error.details.get('locator'), 'g:t:k:n:v');
        assert.isNull(error.trace_id);
    });

    test('prototype quirk: not instanceof CreateException, constructor.name InternalException', () => {
        const error = new CreateException(null, 'x');
        assert.isFalse(error instanceof CreateException);
        assert.isTrue(error instanceof InternalException);
        assert.strictEqual(error.constructor.name, 'InternalException');
    });
});

suite('CompositeFactory', () => {
    function factoryFor(locator: any, value: any): Factory {
        const factory = new Factory();
        factory.register(locator, () => value);
        return factory;
    }

    test('consults factories newest-added first', () => {
        const any = new Descriptor('g', 't', '*', '*', '*');
        const composite = new CompositeFactory(factoryFor(any, 'ctor1'), factoryFor(any, 'ctor2'));
        assert.strictEqual(composite.create(new Descriptor('g', 't', 'k', 'n', 'v')), 'ctor2');
        const added = factoryFor(any, 'added');
        composite.add(added);
        assert.strictEqual(composite.create(new Descriptor('g', 't', 'k', 'n', 'v')), 'added');
        assert.strictEqual(composite.canCreate(new Descriptor('g', 't', 'k', 'n', 'v')), any);
        composite.remove(added);
        assert.strictEqual(composite.create(new Descriptor('g', 't', 'k', 'n', 'v')), 'ctor2');
    });

    test('null locator and null factory throw', () => {
        const composite = new CompositeFactory();
        assert.throws(() => composite.canCreate(null), Error, 'Locator cannot be null');
        assert.throws(() => composite.create(null), Error, 'Locator cannot be null');
        assert.throws(() => composite.add(null as any), Error);
    });

    test('canCreate without a capable factory → null; create → CreateException', () => {
        const composite = new CompositeFactory(factoryFor('a', 1));
        const locator = new Descriptor('g', 't', 'k', 'n', 'v');
        assert.isNull(composite.canCreate(locator));
        const error = catchError(() => composite.create(locator));
        assert.strictEqual(error.code, 'CANNOT_CREATE');
        assert.strictEqual(error.message, 'Requested component g:t:k:n:v cannot be created');
        assert.strictEqual(error.details.get('locator'), 'g:t:k:n:v');
        // A string locator is taken as the message (CreateException's string rule).
        assert.strictEqual(catchError(() => composite.create('b')).message, 'b');
    });
});

/*
 * Contract edge cases (§1.6–1.8) → test:
 * - null locator/factory Errors → 'register/registerAsType reject…'
 * - canCreate returns the registered locator; version mismatch → null → 'canCreate returns the registered locator'
 * - registration order; `==` for plain locators → 'canCreate uses registration order…'
 * - canCreate(null) TypeError with Descriptor registrations → 'canCreate(null) throws TypeError…'
 * - registerAsType uses new type() without args → 'registerAsType instantiates…'
 * - create with no match → null → 'create with no match returns null (no throw)'
 * - thrown error wrapped with cause → 'create wraps a thrown factory error…'
 * - "rethrow CreateException as is" never fires → 'create wraps even a CreateException…'
 * - CreateException message/locator forms, prototype quirk → 'CreateException' suite
 * - CompositeFactory newest-first, null errors, create → CreateException(null, locator) → 'CompositeFactory' suite
 */

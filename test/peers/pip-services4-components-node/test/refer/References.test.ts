import { assert } from 'chai';
import { InternalException } from 'pip-services4-commons-node';

import { Context, Descriptor, Reference, ReferenceException, References } from '../../src';

function catchError(action: () => any): any {
    try {
        action();
    } catch (ex) {
        return ex;
    }
    assert.fail('expected an error');
}

suite('Reference', () => {
    test('null component throws', () => {
        assert.throws(() => new Reference('a', null), Error, 'Component cannot be null');
    });

    test('matches by component, Descriptor.equals or loose equality', () => {
        const component = {};
        const byDescriptor = new Reference(new Descriptor('g', 't', 'k', 'n', 'v'), component);
        assert.isTrue(byDescriptor.match(component));
        assert.isTrue(byDescriptor.match(new Descriptor('g', 't', '*', '*', '*')));
        assert.isFalse(byDescriptor.match('g:t:k:n:v'));

        const byString = new Reference('42', 'x');
        assert.isTrue(byString.match(42));
        assert.isFalse(byString.match('43'));

        const noLocator = new Reference(null, 'y');
        assert.isTrue(noLocator.match('y'));
        assert.isFalse(noLocator.match('z'));
        assert.strictEqual(byString.getLocator(), '42');
        assert.strictEqual(byString.getComponent(), 'x');
    });
});

suite('References', () => {
    const lockDescriptor = new Descriptor('pip-services', 'lock', '*', '*', '1.0');

    test('constructor and fromTuples take locator/component pairs', () => {
        const refs = References.fromTuples('a', 1, 'b', 2);
        assert.deepEqual(refs.getAllLocators(), ['a', 'b']);
        assert.deepEqual(refs.getAll(), [1, 2]);
        assert.deepEqual(new References(['x', 'X']).getAll(), ['X']);
    });

    test('put appends duplicates and null locators; null component throws', () => {
        const refs = new References();
        refs.put('a', 1);
        refs.put('a', 2);
        refs.put(null, 3);
        assert.deepEqual(refs.getAll(), [1, 2, 3]);
        assert.deepEqual(refs.getAllLocators(), ['a', 'a', null]);
        assert.throws(() => refs.put('b', null), Error, 'Component cannot be null');
    });

    test('find returns matches newest-first', () => {
        const refs = new References();
        refs.put(new Descriptor('pip-services', 'lock', 'memory', 'default', '1.0'), 'first');
        refs.put(new Descriptor('pip-services', 'cache', 'memory', 'default', '1.0'), 'other');
        refs.put(new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0'), 'second');
        assert.deepEqual(refs.find(lockDescriptor, false), ['second', 'first']);
        assert.deepEqual(refs.getOptional(lockDescriptor), ['second', 'first']);
        assert.deepEqual(refs.getRequired(lockDescriptor), ['second', 'first']);
        assert.strictEqual(refs.getOneOptional(lockDescriptor), 'second');
        assert.strictEqual(refs.getOneRequired(lockDescriptor), 'second');
    });

    test('find with a null locator throws; optional getters swallow it', () => {
        const refs = References.fromTuples('a', 1);
        assert.throws(() => refs.find(null, false), Error, 'Locator cannot be null');
        assert.deepEqual(refs.getOptional(null), []);
        assert.isNull(refs.getOneOptional(null));
    });

    test('required lookups without a match throw ReferenceException REF_ERROR', () => {
        const refs = References.fromTuples('a', 1);
        assert.deepEqual(refs.find(lockDescriptor, false), []);
        assert.deepEqual(refs.getOptional(lockDescriptor), []);
        assert.isNull(refs.getOneOptional(lockDescriptor));

        for (const action of [() => refs.find(lockDescriptor, true), () => refs.getRequired(lockDescriptor),
            () => refs.getOneRequired(lockDescriptor)]) {
            const error = catchError(action);
            assert.strictEqual(error.code, 'REF_ERROR');
            assert.strictEqual(error.message, 'Failed to obtain reference to pip-services:lock:*:*:1.0');
            assert.strictEqual(error.details.get('locator'), 'pip-services:lock:*:*:1.0');
            assert.isNull(error.trace_id);
        }
    });

    test('remove removes the newest match; null locator → null', () => {
        const refs = References.fromTuples('a', 1, 'b', 2, 'a', 3);
        assert.strictEqual(refs.remove('a'), 3);
        assert.deepEqual(refs.getAll(), [1, 2]);
        assert.isNull(refs.remove('zzz'));
        assert.isNull(refs.remove(null));
        assert.strictEqual(refs.remove(2), 2);
        assert.deepEqual(refs.getAll(), [1]);
    });

    test('removeAll removes all matches, newest-first', () => {
        const refs = References.fromTuples('a', 1, 'b', 2, 'a', 3);
        assert.deepEqual(refs.removeAll('a'), [3, 1]);
        assert.deepEqual(refs.getAll(), [2]);
        assert.deepEqual(refs.removeAll(null), []);
    });
});

suite('ReferenceException', () => {
    test('code, message, details, trace id, category, status', () => {
        const locator = new Descriptor('*', 'discovery', '*', '*', '*');
        const error: any = new ReferenceException(Context.fromTraceId('123'), locator);
        assert.strictEqual(error.code, 'REF_ERROR');
        assert.strictEqual(error.name, 'REF_ERROR');
        assert.strictEqual(error.message, 'Failed to obtain reference to *:discovery:*:*:*');
        assert.strictEqual(error.details.get('locator'), '*:discovery:*:*:*');
        assert.strictEqual(error.trace_id, '123');
        assert.strictEqual(error.category, 'Internal');
        assert.strictEqual(error.status, 500);
        assert.isNull(new ReferenceException(null, 'x').trace_id);
    });

    test('prototype quirk: not instanceof ReferenceException, constructor.name InternalException', () => {
        const error = new ReferenceException(null, 'x');
        assert.isFalse(error instanceof ReferenceException);
        assert.isTrue(error instanceof InternalException);
        assert.isTrue(error instanceof Error);
        assert.strictEqual(error.constructor.name, 'InternalException');
    });
});

/*
 * Contract edge cases (§1.4, §1.5) → test:
 * - Reference null component Error; match via component / Descriptor.equals / == → 'Reference' suite
 * - put duplicates + null locator allowed, null component Error → 'put appends…'
 * - find newest-first → 'find returns matches newest-first'
 * - find(null) Error, getOptional → [] / getOneOptional → null on errors → 'find with a null locator…'
 * - required with no match → ReferenceException(null, locator) → 'required lookups…'
 * - remove newest match / null → null; removeAll newest-first → 'remove…', 'removeAll…'
 * - getAll/getAllLocators insertion order → 'constructor and fromTuples…', 'put appends…'
 * - ReferenceException fields, trace id via ContextResolver → 'code, message, details…'
 * - prototype quirk reproduced → 'prototype quirk…'
 */

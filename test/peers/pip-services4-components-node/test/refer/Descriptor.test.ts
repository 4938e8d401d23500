import { assert } from 'chai';

import { Descriptor } from '../../src';

suite('Descriptor', () => {
    test('"*" is stored as null, "" is kept', () => {
        const descriptor = new Descriptor('*', 'lock', '', '*', '1.0');
        assert.isNull(descriptor.getGroup());
        assert.strictEqual(descriptor.getType(), 'lock');
        assert.strictEqual(descriptor.getKind(), '');
        assert.isNull(descriptor.getName());
        assert.strictEqual(descriptor.getVersion(), '1.0');
    });

    test('private fields are named _group.._version (deepEqual shape)', () => {
        const descriptor = new Descriptor('g', 't', 'k', '*', 'v');
        assert.deepEqual({ ...(descriptor as any) },
            { _group: 'g', _type: 't', _kind: 'k', _name: null, _version: 'v' });
        assert.deepEqual(descriptor, new Descriptor('g', 't', 'k', null, 'v'));
    });

    test('match treats null as a wildcard in both directions', () => {
        const full = new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0');
        const pattern = new Descriptor('pip-services', 'lock', 'redis', '*', '1.0');
        assert.isTrue(full.match(pattern));
        assert.isTrue(pattern.match(full));
        assert.isFalse(full.match(new Descriptor('pip-services', 'lock', 'redis', 'default', '2.0')));
        assert.isTrue(new Descriptor('*', '*', '*', '*', '*').match(full));
        assert.throws(() => full.match(null as any), TypeError);
    });

    test('exactMatch requires equal fields, nulls only against nulls', () => {
        const a = new Descriptor('g', 't', '*', 'n', 'v');
        assert.isTrue(a.exactMatch(new Descriptor('g', 't', null, 'n', 'v')));
        assert.isFalse(a.exactMatch(new Descriptor('g', 't', 'k', 'n', 'v')));
        assert.isFalse(new Descriptor('g', 't', 'k', 'n', 'v').exactMatch(a));
    });

    test('isComplete requires all five fields', () => {
        assert.isTrue(new Descriptor('g', 't', 'k', 'n', 'v').isComplete());
        assert.isFalse(new Descriptor('g', 't', 'k', '*', 'v').isComplete());
        assert.isTrue(new Descriptor('g', 't', 'k', '', 'v').isComplete());
    });

    test('equals uses constructor.name, not instanceof', () => {
        const a = new Descriptor('g', 't', 'k', '*', 'v');
        assert.isTrue(a.equals(new Descriptor('g', 't', 'k', 'n', 'v')));
        assert.isFalse(a.equals(new Descriptor('g', 't', 'x', 'n', 'v')));
        assert.isFalse(a.equals('g:t:k:*:v'));
        assert.isFalse(a.equals(123));

        class MyDescriptor extends Descriptor {}
        assert.isFalse(a.equals(new MyDescriptor('g', 't', 'k', 'n', 'v')));

        // A foreign class that happens to be named "Descriptor" is accepted.
        const Foreign = class Descriptor {
            getGroup() { return 'g'; }
            getType() { return 't'; }
            getKind() { return 'k'; }
            getName() { return 'n'; }
            getVersion() { return 'v'; }
        };
        assert.isTrue(a.equals(new Foreign()));

        assert.throws(() => a.equals(null), TypeError);
    });

    test('toString shows null and empty fields as *', () => {
        assert.strictEqual(new Descriptor('g', '', '*', 'n', null).toString(), 'g:*:*:n:*');
        assert.strictEqual(new Descriptor('pip-services', 'lock', 'redis', 'default', '1.0').toString(),
            'pip-services:lock:redis:default:1.0');
    });

    test('fromString parses 5 tokens, trims, maps * to null', () => {
        const descriptor = Descriptor.fromString(' g : t :*: n :v');
        assert.instanceOf(descriptor, Descriptor);
        assert.strictEqual(descriptor.getGroup(), 'g');
        assert.strictEqual(descriptor.getType(), 't');
        assert.isNull(descriptor.getKind());
        assert.strictEqual(descriptor.getName(), 'n');
        assert.strictEqual(descriptor.getVersion(), 'v');
    });

    test('fromString of null or "" returns null', () => {
        assert.isNull(Descriptor.fromString(null));
        assert.isNull(Descriptor.fromString(''));
    });

    test('fromString with a wrong token count throws ConfigException BAD_DESCRIPTOR', () => {
        for (const value of ['a:b:c:d', 'a:b:c:d:e:f', 'abc']) {
            let error: any = null;
            try {
                Descriptor.fromString(value);
            } catch (ex) {
                error = ex;
            }
            assert.isNotNull(error);
            assert.strictEqual(error.code, 'BAD_DESCRIPTOR');
            assert.strictEqual(error.category, 'Misconfiguration');
            assert.strictEqual(error.status, 500);
            assert.strictEqual(error.message, 'Descriptor ' + value + ' is in wrong format');
            assert.strictEqual(error.details.get('descriptor'), value);
        }
    });
});

/*
 * Contract edge cases (§1.3) → test:
 * - "*"→null, "" kept → '"*" is stored as null, "" is kept'
 * - private field names (chai deepEqual) → 'private fields are named…'
 * - wildcards both directions, match(null) TypeError → 'match treats null…'
 * - exactMatch → 'exactMatch requires…'; isComplete → 'isComplete requires…'
 * - equals via constructor.name (strings, subclasses false; same-named class true; null TypeError)
 *   → 'equals uses constructor.name, not instanceof'
 * - toString with * → 'toString shows…'
 * - fromString null/"" → null; trimming; BAD_DESCRIPTOR with details → last three tests
 */

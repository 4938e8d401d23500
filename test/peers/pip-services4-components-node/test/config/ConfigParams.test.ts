import { assert } from 'chai';
import { StringValueMap } from 'pip-services4-commons-node';

import { ConfigParams } from '../../src';

suite('ConfigParams', () => {
    test('extends StringValueMap and copies values without flattening', () => {
        const config = new ConfigParams({ a: 1, b: { c: 2 }, d: [1, 2], e: null });
        assert.instanceOf(config, StringValueMap);
        assert.strictEqual(config.get('a'), '1');
        assert.strictEqual(config.get('b'), '[object Object]');
        assert.strictEqual(config.get('d'), '1,2');
        assert.isNull(config.get('e'));
        assert.isNull(config.get('b.c'));
    });

    test('get returns null for missing and empty values', () => {
        const config = ConfigParams.fromTuples('empty', '', 'zero', 0);
        assert.isNull(config.get('missing'));
        assert.isNull(config.get('empty'));
        assert.isNull(config.getAsNullableString('empty'));
        assert.isNull(config.getAsString('empty'));
        assert.strictEqual(config.get('zero'), '0');
    });

    test('keys are case-sensitive', () => {
        const config = ConfigParams.fromTuples('Connection.Host', 'h1', 'connection.host', 'h2');
        assert.strictEqual(config.get('Connection.Host'), 'h1');
        assert.strictEqual(config.get('connection.host'), 'h2');
        assert.isNull(config.get('CONNECTION.HOST'));
        assert.strictEqual(config.getSection('connection').get('host'), 'h2');
        assert.strictEqual(config.getSection('Connection').get('Host'), 'h1');
        assert.deepEqual(config.getSectionNames(), ['Connection', 'connection']);
    });

    test('dotted keys are flat direct lookups', () => {
        const config = ConfigParams.fromTuples('connection.host', 'localhost');
        assert.strictEqual(config.get('connection.host'), 'localhost');
        assert.isNull(config.get('connection'));
    });

    test('inherited getters convert values', () => {
        const config = ConfigParams.fromTuples('int', '12abc', 'half', '1.5', 'bad', 'x', 'yes', 'Y', 'off', 'no');
        assert.strictEqual(config.getAsInteger('int'), 12);
        assert.strictEqual(config.getAsInteger('half'), 2);
        assert.strictEqual(config.getAsInteger('bad'), 0);
        assert.strictEqual(config.getAsIntegerWithDefault('bad', 7), 7);
        assert.strictEqual(config.getAsLongWithDefault('missing', 60000), 60000);
        assert.isTrue(config.getAsBooleanWithDefault('yes', false));
        assert.isFalse(config.getAsBooleanWithDefault('off', true));
        assert.strictEqual(config.getAsStringWithDefault('missing', 'dflt'), 'dflt');
        assert.strictEqual(config.length(), 5);
        assert.deepEqual(config.getKeys(), ['int', 'half', 'bad', 'yes', 'off']);
    });

    test('getSectionNames uses text before the first dot, unique, first-seen order', () => {
        const config = ConfigParams.fromTuples(
            'b.x', 1, 'a', 2, 'b.y.z', 3, '.hidden', 4, 'a.q', 5);
        assert.deepEqual(config.getSectionNames(), ['b', 'a', '.hidden']);
    });

    test('getSection strips the prefix and keeps deeper dots', () => {
        const config = ConfigParams.fromTuples('s.t.u', 1, 's.v', 2, 'sx.w', 3, 's', 4);
        const section = config.getSection('s');
        assert.instanceOf(section, ConfigParams);
        assert.deepEqual(section.getKeys(), ['t.u', 'v']);
        assert.strictEqual(section.get('t.u'), '1');
        assert.strictEqual(section.getSection('t').get('u'), '1');
        assert.strictEqual(config.getSection('missing').length(), 0);
    });

    test('addSection prefixes keys; edge cases for null and empty names', () => {
        const config = new ConfigParams();
        config.addSection('conn', ConfigParams.fromTuples('host', 'h', '', 'whole'));
        assert.strictEqual(config.get('conn.host'), 'h');
        assert.strictEqual(config.get('conn'), 'whole');

        config.addSection('', ConfigParams.fromTuples('root', 'r'));
        assert.strictEqual(config.get('root'), 'r');

        config.addSection('nothing', null);
        assert.strictEqual(config.length(), 3);

        assert.throws(() => config.addSection(null as any, new ConfigParams()), Error, 'Section name cannot be null');
    });

    test('override: new object, argument wins', () => {
        const config = ConfigParams.fromTuples('a', 1, 'b', 2);
        const result = config.override(ConfigParams.fromTuples('b', 3, 'c', 4));
        assert.instanceOf(result, ConfigParams);
        assert.notStrictEqual(result, config);
        assert.deepEqual(result.getAsObject(), { a: '1', b: '3', c: '4' });
        assert.strictEqual(config.get('b'), '2');
    });

    test('setDefaults: new object, this wins', () => {
        const config = ConfigParams.fromTuples('a', 1, 'b', 2);
        const result = config.setDefaults(ConfigParams.fromTuples('b', 3, 'c', 4));
        assert.instanceOf(result, ConfigParams);
        assert.notStrictEqual(result, config);
        assert.deepEqual(result.getAsObject(), { b: '2', c: '4', a: '1' });
    });

    test('fromValue flattens nested objects and arrays into dotted keys', () => {
        const config = ConfigParams.fromValue({ a: { b: 1 }, c: [{ d: 2 }], e: true, f: 'x' });
        assert.instanceOf(config, ConfigParams);
        assert.strictEqual(config.get('a.b'), '1');
        assert.strictEqual(config.get('c.0.d'), '2');
        assert.strictEqual(config.get('e'), 'true');
        assert.strictEqual(config.get('f'), 'x');
        assert.strictEqual(config.getSection('a').get('b'), '1');
    });

    test('fromValue of null or non-object is empty', () => {
        assert.strictEqual(ConfigParams.fromValue(null).length(), 0);
        assert.strictEqual(ConfigParams.fromValue(undefined).length(), 0);
        assert.strictEqual(ConfigParams.fromValue('a=1').length(), 0);
        assert.strictEqual(ConfigParams.fromValue(5).length(), 0);
    });

    test('fromTuples ignores an odd trailing item and stringifies', () => {
        const config = ConfigParams.fromTuples('a', 1, 'd', new Date(0), 'odd');
        assert.instanceOf(config, ConfigParams);
        assert.deepEqual(config.getKeys(), ['a', 'd']);
        assert.strictEqual(config.get('d'), '1970-01-01T00:00:00.000Z');
    });

    test('fromString parses semicolon-separated pairs', () => {
        const config = ConfigParams.fromString('a=1;b; c = x=y ;;');
        assert.instanceOf(config, ConfigParams);
        assert.strictEqual(config.get('a'), '1');
        assert.isNull(config.get('b'));
        assert.include(config.getKeys(), 'b');
        assert.strictEqual(config.get('c'), 'x=y');
        assert.strictEqual(config.length(), 3);
        assert.strictEqual(ConfigParams.fromString('').length(), 0);
    });

    test('mergeConfigs: later configs win', () => {
        const config = ConfigParams.mergeConfigs(
            ConfigParams.fromTuples('a', 1, 'b', 1),
            ConfigParams.fromTuples('b', 2, 'c', 2),
            ConfigParams.fromTuples('c', 3));
        assert.instanceOf(config, ConfigParams);
        assert.deepEqual(config.getAsObject(), { a: '1', b: '2', c: '3' });
    });

    test('toString renders key=value pairs', () => {
        assert.strictEqual(ConfigParams.fromTuples('a', 1, 'b', 'x').toString(), 'a=1;b=x');
    });

    test('a key named like a method shadows the method', () => {
        const config = ConfigParams.fromTuples('length', '5');
        assert.strictEqual((config as any).length, '5');
        assert.throws(() => config.length(), TypeError);
    });
});

/*
 * Contract edge cases (§0, §1.1) → test:
 * - keys case-sensitive → 'keys are case-sensitive'
 * - get returns null for "" → 'get returns null for missing and empty values'
 * - put/constructor stringify (Date, arrays, objects) → 'extends StringValueMap…', 'fromTuples ignores…'
 * - getter conversions ("12abc"→12, "1.5"→2, bool words) → 'inherited getters convert values'
 * - getSectionNames dot at index 0 keeps whole key → 'getSectionNames uses text…'
 * - getSection deeper dots kept, missing → empty → 'getSection strips the prefix…'
 * - addSection null section Error / null params no-op / "" section / "" key → 'addSection…'
 * - override / setDefaults precedence → 'override…', 'setDefaults…'
 * - fromValue flattening, null/non-object → empty → 'fromValue flattens…', 'fromValue of null…'
 * - fromTuples odd trailing item ignored → 'fromTuples ignores…'
 * - fromString parsing (no '=', '=' in value, empty tokens) → 'fromString parses…'
 * - mergeConfigs later wins → 'mergeConfigs…'
 * - dotted keys are flat → 'dotted keys are flat direct lookups'
 * - key named like a method shadows it → 'a key named like a method…'
 */

import { assert } from 'chai';

import { ConfigParams, Context, ContextResolver, IContext } from '../../src';

suite('Context', () => {
    test('constructor copies values; get is a flat lookup', () => {
        const values: any = { trace_id: '123', nested: { a: 1 }, 'x.y': 2 };
        const context = new Context(values);
        values.trace_id = 'changed';
        assert.strictEqual(context.get('trace_id'), '123');
        assert.deepEqual(context.get('nested'), { a: 1 });
        assert.isNull(context.get('nested.a'));
        assert.strictEqual(context.get('x.y'), 2);
        assert.isNull(context.get('missing'));
        assert.isNull(new Context().get('anything'));
    });

    test('get returns null for falsy values (AnyValueMap rule: "", 0, false)', () => {
        const context = Context.fromTuples('empty', '', 'zero', 0, 'no', false, 'one', 1);
        assert.isNull(context.get('empty'));
        assert.isNull(context.get('zero'));
        assert.isNull(context.get('no'));
        assert.strictEqual(context.get('one'), 1);
    });

    test('fromValue, fromTuples, fromConfig, fromTraceId return Context', () => {
        const fromValue = Context.fromValue({ a: 1 });
        assert.instanceOf(fromValue, Context);
        assert.strictEqual(fromValue.get('a'), 1);

        const fromTuples = Context.fromTuples('a', 1, 'b', 'x');
        assert.instanceOf(fromTuples, Context);
        assert.strictEqual(fromTuples.get('a'), 1);
        assert.strictEqual(fromTuples.get('b'), 'x');

        const fromConfig = Context.fromConfig(ConfigParams.fromTuples('client', 'c1', 'a.b', 2));
        assert.instanceOf(fromConfig, Context);
        assert.strictEqual(fromConfig.get('client'), 'c1');
        assert.strictEqual(fromConfig.get('a.b'), '2');
        assert.instanceOf(Context.fromConfig(null), Context);
        assert.isNull(Context.fromConfig(null).get('a'));

        const fromTraceId = Context.fromTraceId('t1');
        assert.instanceOf(fromTraceId, Context);
        assert.strictEqual(fromTraceId.get('trace_id'), 't1');
    });
});

suite('ContextResolver', () => {
    test('null context → null', () => {
        assert.isNull(ContextResolver.getTraceId(null));
        assert.isNull(ContextResolver.getClient(null));
        assert.isNull(ContextResolver.getUser(null));
    });

    test('getTraceId prefers trace_id, falls back to traceId, stringifies', () => {
        assert.strictEqual(ContextResolver.getTraceId(Context.fromTuples('trace_id', 'a', 'traceId', 'b')), 'a');
        assert.strictEqual(ContextResolver.getTraceId(Context.fromTuples('trace_id', '', 'traceId', 'b')), 'b');
        assert.strictEqual(ContextResolver.getTraceId(Context.fromTuples('traceId', 42)), '42');
        assert.isNull(ContextResolver.getTraceId(new Context()));
    });

    test('works with any duck-typed IContext', () => {
        const context: IContext = { get: (key: string) => ({ trace_id: 7, client: 99, user: { id: 1 } } as any)[key] };
        assert.strictEqual(ContextResolver.getTraceId(context), '7');
        assert.strictEqual(ContextResolver.getClient(context), '99');
        assert.deepEqual(ContextResolver.getUser(context), { id: 1 });
    });
});

/*
 * Contract edge cases (§1.9) → test:
 * - values copied, no dotted navigation → 'constructor copies values…'
 * - AnyValueMap get: falsy → null (§0) → 'get returns null for falsy values…'
 * - factory methods return Context, fromConfig(null) empty, fromTraceId single trace_id → 'fromValue, fromTuples…'
 * - null context → null → 'null context → null'
 * - trace_id, else traceId when falsy, stringified → 'getTraceId prefers trace_id…'
 * - getClient stringified, getUser raw → 'works with any duck-typed IContext'
 */

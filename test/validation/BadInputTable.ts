import { assert } from 'chai';
import { ConfigParams, Context, Descriptor, References } from 'pip-services4-components-node';
import { MemoryCredentialStore, MemoryDiscovery } from 'pip-services4-config-node';

import { DefaultRedisFactory } from '../../src/build/DefaultRedisFactory';
import { RedisCache } from '../../src/cache/RedisCache';
import { LockLease } from '../../src/lock/LockLease';
import { RedisLock } from '../../src/lock/RedisLock';
import { BadInputFixture } from './BadInputFixture';

/**
 * Where a row's expectation comes from. `README` and `TSDoc`: documented; `lead`: announced by the
 * lead for the fixes under way (issue 8); `issue`: a deliverable of issue 8; `toolkit`: behaviour of
 * the pip-services base classes; `proposal`: the docs are silent, this is what a demanding
 * production user would expect (listed in the report for the lead to accept or reject).
 */
export type RowSource = 'README' | 'TSDoc' | 'lead' | 'issue' | 'toolkit' | 'proposal';

/** The failure a row expects. */
export interface ExpectedFailure {
    /** Constructor name (commons resets prototypes, so instanceof is unreliable). */
    className: string;
    /** The exception's `code`. */
    code: string;
    /** Details that must name the offending value: exact text, or a pattern. */
    details?: { [name: string]: string | RegExp };
    /** The exception's trace id; not checked when absent. */
    traceId?: string | null;
    /** A secret that must appear nowhere in the error (message, stack, cause, details, JSON). */
    secret?: string;
}

/** What a row may send to Redis: nothing (the default), no write to `key`, or anything. */
export type RowTraffic = 'none' | 'no-write' | 'any';

/** One row: a call on one public surface with one bad (or edge) value of one argument. */
export interface BadInputRow {
    /** Class and method, e.g. `RedisLock.tryAcquireLock`. */
    surface: string;
    /** The argument, option or configuration key the row is about. */
    argument: string;
    /** The value, as a reader would write it. */
    value: string;
    /** The expected failure, or `accepted` when the call must succeed. */
    expected: ExpectedFailure | 'accepted';
    source: RowSource;
    /** What the call may send (failure rows); default `none`. */
    traffic?: RowTraffic;
    /** Runs before the MONITOR window opens (e.g. takes a scratch lease); its result goes to run. */
    prepare?(fx: BadInputFixture): Promise<any>;
    /** The call under test. */
    run(fx: BadInputFixture, prepared: any): Promise<any>;
    /**
     * Accepted rows: checks what the call did (`sent`: what MONITOR showed during the call).
     * Failure rows with `no-write`: checks the key stayed absent.
     */
    check?(fx: BadInputFixture, result: any, prepared: any, sent: string[]): Promise<void>;
    /** Undoes whatever the call or prepare left behind, whatever the outcome. */
    cleanup?(fx: BadInputFixture, prepared: any): Promise<void>;
}

/** A value of the table: its label, a maker (fresh objects for every call) and how details show it. */
interface Value {
    label: string;
    make: () => any;
    shown: string | RegExp;
    source?: RowSource;
}

const C = BadInputFixture.context;
const HOLD = BadInputFixture.holdTtl;
// Node timers overflow at 2^31 ms; 2^32 stays clear of that edge (an expiry timer armed a few ms
// after the request gets just under 2^31 and would pass by luck).
const TWO_POW_32 = 2 ** 32;

function v(label: string, make: () => any, shown: string | RegExp, source?: RowSource): Value {
    return { label, make, shown, source };
}

function bad(className: string, code: string, details?: { [name: string]: string | RegExp },
    more: Partial<ExpectedFailure> = {}): ExpectedFailure {
    return { className, code, details, traceId: C, ...more };
}

/** Keys the table passes where a key is required. */
const BAD_KEYS: Value[] = [
    v("''", () => '', '""'),
    v('null', () => null, 'null'),
    v('undefined', () => undefined, 'undefined'),
    v('1', () => 1, '1'),
    v('{}', () => ({}), '[object Object]'),
    // String([]) is '' and String(['k']) is 'k': details that looked like an empty or valid key.
    v('[]', () => [], '[object Array]', 'proposal'),
    v("['k']", () => ['k'], '[object Array]', 'proposal'),
    v("Symbol('k')", () => Symbol('k'), 'Symbol(k)'),
    v('10n', () => 10n, '10n'),
    v("'a\\u0000b' (NUL inside)", () => 'a\u0000b', JSON.stringify('a\u0000b'), 'lead'),
    v("'{k}\\u0000fence' (a companion key's name)", () => '{k}\u0000fence', JSON.stringify('{k}\u0000fence'), 'lead')
];

/** TTLs: every one is refused where a ttl is required. */
const BAD_TTLS: Value[] = [
    v('0', () => 0, '0'),
    v('-1', () => -1, '-1'),
    v('1.5', () => 1.5, '1.5'),
    v('NaN', () => NaN, 'NaN'),
    v('Infinity', () => Infinity, 'Infinity'),
    v('-Infinity', () => -Infinity, '-Infinity'),
    v("'100'", () => '100', '"100"'),
    v('null', () => null, 'null'),
    v('undefined', () => undefined, 'undefined'),
    v('2**53', () => 2 ** 53, '9007199254740992'),
    v('10n', () => 10n, '10n')
];

/** Timeouts (acquireLock's is required; `1.5` is a valid non-negative number of ms). */
const BAD_TIMEOUTS: Value[] = [
    v('-1', () => -1, '-1'),
    v('NaN', () => NaN, 'NaN'),
    // README: "a non-negative number of ms"; RedisArguments' TSDoc: "finite".
    v('Infinity', () => Infinity, 'Infinity', 'TSDoc'),
    v('-Infinity', () => -Infinity, '-Infinity'),
    v("'10'", () => '10', '"10"'),
    v('null', () => null, 'null'),
    v('undefined', () => undefined, 'undefined'),
    v('10n', () => 10n, '10n'),
    v('{}', () => ({}), '[object Object]')
];

/** Cache timeouts that are refused; 0, negative, null and undefined mean `options.timeout`. */
const BAD_CACHE_TIMEOUTS: Value[] = [
    v('1.5', () => 1.5, '1.5'),
    v('NaN', () => NaN, 'NaN'),
    v('Infinity', () => Infinity, 'Infinity'),
    v("'100'", () => '100', '"100"'),
    v('2**53', () => 2 ** 53, '9007199254740992'),
    v('10n', () => 10n, '10n'),
    v('{}', () => ({}), '[object Object]')
];

const DEFAULT_CACHE_TIMEOUTS: Value[] = [
    v('0', () => 0, ''), v('-1', () => -1, ''), v('-Infinity', () => -Infinity, ''),
    v('null', () => null, ''), v('undefined', () => undefined, '')
];

function cyclic(): any {
    const value: any = { name: 'loop' };
    value.self = value;
    return value;
}

/** Values JSON cannot represent (or would silently change): refused with INVALID_VALUE. */
const BAD_VALUES: Value[] = [
    v('10n', () => 10n, '10n'),
    v('function f', () => function f(): number { return 1; }, 'function f'),
    v("Symbol('s')", () => Symbol('s'), 'Symbol(s)'),
    v('NaN', () => NaN, 'NaN'),
    v('Infinity', () => Infinity, 'Infinity'),
    v('-Infinity', () => -Infinity, '-Infinity'),
    v('cyclic { self }', cyclic, '[object Object]'),
    v('cyclic array', () => { const a: any[] = [1]; a.push(a); return a; }, '[object Array]'),
    v('{ a: { b: [1n] } }', () => ({ a: { b: [1n] } }), '1n'),
    v('{ run() {} }', () => ({ run(): number { return 1; } }), 'function run'),
    v("{ s: Symbol('t') }", () => ({ s: Symbol('t') }), 'Symbol(t)'),
    v('[1, NaN]', () => [1, NaN], 'NaN'),
    v('{ n: { m: Infinity } }', () => ({ n: { m: Infinity } }), 'Infinity'),
    v('{ deep: cyclic }', () => ({ deep: cyclic() }), '[object Object]'),
    v('a toJSON that throws', () => ({ toJSON(): never { throw new Error('boom'); } }), '[object Object]', 'TSDoc'),
    // JSON turns it into null: stored as "null", read back as a miss, so getOrSet would produce forever.
    v('Invalid Date', () => new Date(NaN), /Date/, 'proposal')
];

/** `options.*` millisecond values that are not integers of at least 1. */
const BAD_MS_MIN1: Value[] = [
    v("'soon'", () => 'soon', 'soon'),
    v("'0'", () => '0', '0'),
    v("'-1'", () => '-1', '-1'),
    v("'1.5'", () => '1.5', '1.5'),
    v("'NaN'", () => 'NaN', 'NaN'),
    v("'Infinity'", () => 'Infinity', 'Infinity'),
    v("'9007199254740993'", () => '9007199254740993', '9007199254740993'),
    // An unset substitution variable gives ''; silently using the default hides the mistake.
    v("''", () => '', '', 'proposal'),
    // Number('0x10') is 16: a hexadecimal typo should not become a valid duration.
    v("'0x10'", () => '0x10', '0x10', 'proposal')
];

/** `options.*` millisecond values where 0 is allowed (acquire_timeout: one attempt; max_hold: none). */
const BAD_MS_MIN0: Value[] = [
    v("'soon'", () => 'soon', 'soon'),
    v("'-1'", () => '-1', '-1'),
    v("'1.5'", () => '1.5', '1.5'),
    v("'Infinity'", () => 'Infinity', 'Infinity'),
    v("''", () => '', '', 'proposal')
];

/** Contexts callers pass, and the trace id an error must then carry. */
interface ContextCase {
    label: string;
    make: () => any;
    traceId: string | null;
    source: RowSource;
}

const CONTEXTS: ContextCase[] = [
    { label: 'null', make: () => null, traceId: null, source: 'README' },
    { label: 'undefined', make: () => undefined, traceId: null, source: 'README' },
    { label: "'ctx-string'", make: () => 'ctx-string', traceId: 'ctx-string', source: 'README' },
    { label: "Context.fromTraceId('ctx-object')", make: () => Context.fromTraceId('ctx-object'), traceId: 'ctx-object', source: 'README' },
    // A context only traces: an odd one must never make an operation fail; it traces as nothing.
    { label: '42', make: () => 42, traceId: null, source: 'proposal' },
    { label: "{ trace_id: 'x' } (no get)", make: () => ({ trace_id: 'x' }), traceId: null, source: 'proposal' },
    { label: '[]', make: () => [], traceId: null, source: 'proposal' }
];

/** The least documented of a row's sources: a row is only as documented as its weakest expectation. */
function weakestSource(...sources: (RowSource | undefined)[]): RowSource {
    const order: RowSource[] = ['proposal', 'lead', 'issue', 'TSDoc', 'toolkit', 'README'];
    for (const source of order) {
        if (sources.includes(source)) return source;
    }
    return 'README';
}

/**
 * Waits a few timer ticks: enough for a timer that overflowed to 1 ms to have fired. This checks
 * that an event does NOT happen, which no event can signal.
 */
async function timerTicks(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise(resolve => setTimeout(resolve, 5));
}

async function releaseAll(fx: BadInputFixture, key: any): Promise<void> {
    if (typeof key !== 'string' || key === '') return;
    await fx.lock.releaseLock(null, key).catch(() => undefined);
    await fx.cache.remove(null, key).catch(() => undefined);
}

async function pttlOf(fx: BadInputFixture, key: string): Promise<number> {
    return fx.client.pTTL(key);
}

/**
 * The bad-input table: every public method and configuration key of the library with bad and
 * edge values, and what each must do. Rows are generated from the value lists above, so a value
 * added to a list is tried on every surface that takes it.
 */
export class BadInputTable {
    /**
     * All rows.
     *
     * @returns the rows, grouped by surface in the order they should run.
     */
    public static rows(): BadInputRow[] {
        return [
            ...BadInputTable.keyRows(),
            ...BadInputTable.ttlRows(),
            ...BadInputTable.timeoutRows(),
            ...BadInputTable.leaseOptionRows(),
            ...BadInputTable.cacheArgumentRows(),
            ...BadInputTable.valueRows(),
            ...BadInputTable.optionRows(),
            ...BadInputTable.connectionRows(),
            ...BadInputTable.contextRows(),
            ...BadInputTable.factoryRows()
        ];
    }

    private static keyRows(): BadInputRow[] {
        const surfaces: [string, (fx: BadInputFixture, key: any) => Promise<any>][] = [
            ['RedisLock.tryAcquireLock', (fx, key) => fx.lock.tryAcquireLock(C, key, HOLD)],
            ['RedisLock.acquireLock', (fx, key) => fx.lock.acquireLock(C, key, HOLD, 0)],
            ['RedisLock.extendLock', (fx, key) => fx.lock.extendLock(C, key, HOLD)],
            ['RedisLock.releaseLock', (fx, key) => fx.lock.releaseLock(C, key)],
            ['RedisLock.acquire', (fx, key) => fx.lock.acquire(C, key, { ttl: HOLD, timeout: 0 })],
            ['RedisLock.withLock', (fx, key) => fx.lock.withLock(C, key, fx.work, { ttl: HOLD, timeout: 0 })],
            ['RedisCache.retrieve', (fx, key) => fx.cache.retrieve(C, key)],
            ['RedisCache.store', (fx, key) => fx.cache.store(C, key, 'value', HOLD)],
            ['RedisCache.remove', (fx, key) => fx.cache.remove(C, key)],
            ['RedisCache.getOrSet', (fx, key) => fx.cache.getOrSet(C, key, HOLD, fx.work)]
        ];
        const rows: BadInputRow[] = [];
        for (const [surface, call] of surfaces) {
            for (const key of BAD_KEYS) {
                let made: any;
                rows.push({
                    surface, argument: 'key', value: key.label, source: weakestSource(key.source),
                    expected: bad('BadRequestException', 'INVALID_KEY', { key: key.shown }),
                    run: fx => call(fx, made = key.make()),
                    cleanup: fx => releaseAll(fx, made)
                });
            }
            // Very long keys are fine (Redis allows 512 MB); 100,000 characters, no NUL.
            const longKey = 'k'.repeat(100000);
            const heldFirst = surface == 'RedisLock.extendLock' || surface == 'RedisLock.releaseLock';
            rows.push({
                surface, argument: 'key', value: "'k' × 100,000", source: 'README', expected: 'accepted',
                prepare: async fx => heldFirst ? fx.lock.tryAcquireLock(C, longKey, 1000) : undefined,
                run: fx => call(fx, longKey),
                cleanup: fx => releaseAll(fx, longKey)
            });
        }
        // 0.1.0 keeps a fence counter at `{key}:fence`, so that user key could never be locked again.
        rows.push({
            surface: 'RedisLock.tryAcquireLock', argument: 'key', value: "'{<held key>}:fence' (0.1.0's companion name)",
            source: 'lead', expected: 'accepted',
            run: async fx => fx.lock.tryAcquireLock(C, '{' + fx.heldKey + '}:fence', 1000),
            check: async (_fx, result) => assert.isTrue(result, 'a user key named like a 0.1.0 companion key can be locked'),
            cleanup: async fx => { await fx.lock.releaseLock(null, '{' + fx.heldKey + '}:fence').catch(() => undefined); }
        });
        return rows;
    }

    private static ttlRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        const required: [string, RowSource, (fx: BadInputFixture, ttl: any) => Promise<any>][] = [
            ['RedisLock.tryAcquireLock', 'README', (fx, ttl) => fx.lock.tryAcquireLock(C, fx.heldKey, ttl)],
            ['RedisLock.acquireLock', 'README', (fx, ttl) => fx.lock.acquireLock(C, fx.heldKey, ttl, 0)],
            ['RedisLock.extendLock', 'README', (fx, ttl) => fx.lock.extendLock(C, fx.heldKey, ttl)]
        ];
        for (const [surface, source, call] of required) {
            for (const ttl of BAD_TTLS) {
                rows.push({
                    surface, argument: 'ttl', value: ttl.label, source: weakestSource(source, ttl.source),
                    expected: bad('BadRequestException', 'INVALID_TTL', { ttl: ttl.shown }),
                    run: fx => call(fx, ttl.make())
                });
            }
        }
        // options.ttl and lease.extend(ttl) are optional: undefined (and null in options) mean the default.
        const optional: [string, RowSource, (fx: BadInputFixture, ttl: any) => Promise<any>, string[]][] = [
            ['RedisLock.acquire', 'README', (fx, ttl) => fx.lock.acquire(C, fx.heldKey, { ttl }), ['null', 'undefined']],
            ['RedisLock.withLock', 'README', (fx, ttl) => fx.lock.withLock(C, fx.heldKey, fx.work, { ttl }), ['null', 'undefined']],
            ['LockLease.extend', 'lead', (fx, ttl) => fx.lease.extend(ttl), ['undefined']]
        ];
        for (const [surface, source, call, defaults] of optional) {
            for (const ttl of BAD_TTLS.filter(t => !defaults.includes(t.label))) {
                rows.push({
                    surface, argument: surface == 'LockLease.extend' ? 'ttl' : 'options.ttl', value: ttl.label,
                    source: weakestSource(source, ttl.source),
                    expected: bad('BadRequestException', 'INVALID_TTL', { ttl: ttl.shown }),
                    run: fx => call(fx, ttl.make())
                });
            }
        }
        rows.push(...BadInputTable.acceptedTtlRows());
        return rows;
    }

    private static acceptedTtlRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        for (const [label, ttl, source] of [['null', null, 'proposal'], ['undefined', undefined, 'README']] as [string, any, RowSource][]) {
            let key = '';
            rows.push({
                surface: 'RedisLock.acquire', argument: 'options.ttl', value: label + ' (options.lock_ttl)', source,
                expected: 'accepted',
                run: fx => fx.lock.acquire(C, key = fx.scratchKey('ttl-default'), { ttl }),
                check: async fx => {
                    const pttl = await pttlOf(fx, key);
                    assert.isTrue(pttl > BadInputFixture.lockTtl - 5000 && pttl <= BadInputFixture.lockTtl,
                        'TTL is options.lock_ttl; PTTL ' + pttl);
                }
            });
        }
        for (const [label, ttl] of [['2**32', TWO_POW_32], ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER]] as [string, number][]) {
            let key = '';
            rows.push({
                surface: 'RedisLock.tryAcquireLock', argument: 'ttl', value: label, source: 'README', expected: 'accepted',
                run: fx => fx.lock.tryAcquireLock(C, key = fx.scratchKey('ttl-big'), ttl),
                check: async (fx, result) => {
                    assert.isTrue(result);
                    assert.isAbove(await pttlOf(fx, key), TWO_POW_32 - 10000);
                },
                cleanup: fx => releaseAll(fx, key)
            });
        }
        let extended = '';
        rows.push({
            surface: 'RedisLock.extendLock', argument: 'ttl', value: '2**32', source: 'README', expected: 'accepted',
            prepare: async fx => fx.lock.tryAcquireLock(C, extended = fx.scratchKey('extend-big'), 1000),
            run: fx => fx.lock.extendLock(C, extended, TWO_POW_32),
            check: async fx => assert.isAbove(await pttlOf(fx, extended), TWO_POW_32 - 10000),
            cleanup: fx => releaseAll(fx, extended)
        });
        // Timers cannot wait 2^32 ms: a lease must still not believe it expired at once.
        rows.push({
            surface: 'RedisLock.acquire', argument: 'options.ttl', value: '2**32', source: 'lead', expected: 'accepted',
            run: fx => fx.lock.acquire(C, fx.scratchKey('lease-big'), { ttl: TWO_POW_32 }),
            check: async (_fx, lease: LockLease) => {
                await timerTicks();
                assert.isTrue(lease.held, 'held: ' + (lease.signal.reason as any)?.message);
            }
        });
        rows.push({
            surface: 'LockLease.extend', argument: 'ttl', value: '2**32', source: 'lead', expected: 'accepted',
            prepare: fx => fx.lock.acquire(C, fx.scratchKey('extend-lease-big'), { ttl: 5000 }),
            run: (_fx, lease: LockLease) => lease.extend(TWO_POW_32),
            check: async (fx, _result, lease: LockLease) => {
                await timerTicks();
                assert.isTrue(lease.held, 'held: ' + (lease.signal.reason as any)?.message);
                assert.isAbove(await pttlOf(fx, lease.key), TWO_POW_32 - 10000);
            },
            cleanup: async (_fx, lease: LockLease) => { await lease?.release().catch(() => false); }
        });
        // Validation comes first, as for extendLock: a bad ttl is INVALID_TTL even on a released lease.
        rows.push({
            surface: 'LockLease.extend', argument: 'ttl', value: '0 (lease already released)', source: 'lead',
            expected: bad('BadRequestException', 'INVALID_TTL', { ttl: '0' }),
            prepare: async fx => {
                const lease = await fx.lock.acquire(C, fx.scratchKey('extend-released'), { ttl: 5000 });
                await lease.release();
                return lease;
            },
            run: (_fx, lease: LockLease) => lease.extend(0)
        });
        // release() takes no input; releasing twice is the one edge: false, and nothing sent.
        rows.push({
            surface: 'LockLease.release', argument: '(none)', value: 'a second release()', source: 'TSDoc', expected: 'accepted',
            prepare: async fx => {
                const lease = await fx.lock.acquire(C, fx.scratchKey('release-twice'), { ttl: 5000 });
                assert.isTrue(await lease.release());
                return lease;
            },
            run: (_fx, lease: LockLease) => lease.release(),
            check: async (_fx, result, _lease, sent) => {
                assert.isFalse(result, 'a second release reports it held nothing');
                assert.deepEqual(sent, [], 'a second release sends nothing');
            }
        });
        rows.push({
            surface: 'LockLease.extend', argument: 'ttl', value: 'undefined (the lease\'s ttl)', source: 'TSDoc', expected: 'accepted',
            prepare: fx => fx.lock.acquire(C, fx.scratchKey('extend-lease-default'), { ttl: 30000 }),
            run: (_fx, lease: LockLease) => lease.extend(undefined),
            check: async (fx, _result, lease: LockLease) => {
                const pttl = await pttlOf(fx, lease.key);
                assert.isTrue(pttl > 25000 && pttl <= 30000, 'PTTL ' + pttl);
            },
            cleanup: async (_fx, lease: LockLease) => { await lease?.release().catch(() => false); }
        });
        return rows;
    }

    private static timeoutRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        for (const timeout of BAD_TIMEOUTS) {
            rows.push({
                surface: 'RedisLock.acquireLock', argument: 'timeout', value: timeout.label, source: weakestSource('README', timeout.source),
                expected: bad('BadRequestException', 'INVALID_TIMEOUT', { timeout: timeout.shown }),
                run: fx => fx.lock.acquireLock(C, fx.heldKey, HOLD, timeout.make())
            });
        }
        const optional: [string, (fx: BadInputFixture, timeout: any) => Promise<any>][] = [
            ['RedisLock.acquire', (fx, timeout) => fx.lock.acquire(C, fx.heldKey, { timeout })],
            ['RedisLock.withLock', (fx, timeout) => fx.lock.withLock(C, fx.heldKey, fx.work, { timeout })]
        ];
        for (const [surface, call] of optional) {
            for (const timeout of BAD_TIMEOUTS.filter(t => t.label != 'null' && t.label != 'undefined')) {
                rows.push({
                    surface, argument: 'options.timeout', value: timeout.label, source: weakestSource('README', timeout.source),
                    expected: bad('BadRequestException', 'INVALID_TIMEOUT', { timeout: timeout.shown }),
                    run: fx => call(fx, timeout.make())
                });
            }
        }
        let key = '';
        rows.push({
            surface: 'RedisLock.acquireLock', argument: 'timeout', value: '1.5', source: 'README', expected: 'accepted',
            run: fx => fx.lock.acquireLock(C, key = fx.scratchKey('timeout-fraction'), 1000, 1.5),
            cleanup: fx => releaseAll(fx, key)
        });
        rows.push({
            surface: 'RedisLock.acquire', argument: 'options.timeout', value: 'null (options.acquire_timeout)', source: 'proposal',
            expected: 'accepted',
            run: fx => fx.lock.acquire(C, fx.scratchKey('timeout-null'), { ttl: 1000, timeout: null as any })
        });
        return rows;
    }

    private static leaseOptionRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        const surfaces: [string, (fx: BadInputFixture, options: any) => Promise<any>][] = [
            ['RedisLock.acquire', (fx, options) => fx.lock.acquire(C, fx.heldKey, options)],
            ['RedisLock.withLock', (fx, options) => fx.lock.withLock(C, fx.heldKey, fx.work, options)]
        ];
        const maxHolds = BAD_TIMEOUTS.filter(t => t.label != 'null' && t.label != 'undefined');
        const signals = [
            v('{}', () => ({}), '[object Object]'),
            v("'abort'", () => 'abort', '"abort"'),
            v('42', () => 42, '42'),
            v('true', () => true, 'true'),
            v('{ aborted: false }', () => ({ aborted: false }), '[object Object]')
        ];
        const watchdogs = [
            v("'no'", () => 'no', '"no"'),
            v("'false'", () => 'false', '"false"'),
            v('1', () => 1, '1'),
            v('{}', () => ({}), '[object Object]')
        ];
        const notObjects = [v('5000', () => 5000, '5000'), v("'fast'", () => 'fast', '"fast"'), v('true', () => true, 'true')];
        for (const [surface, call] of surfaces) {
            for (const maxHold of maxHolds) {
                // The detail must name maxHold: today it says `timeout`, which is another option.
                rows.push({
                    surface, argument: 'options.maxHold', value: maxHold.label, source: 'proposal',
                    expected: bad('BadRequestException', 'INVALID_TIMEOUT', { maxHold: maxHold.shown }),
                    run: fx => call(fx, { maxHold: maxHold.make() })
                });
            }
            // README: "an AbortSignal"; anything else crashes the waiter's timer (TypeError, uncaught).
            for (const signal of signals) {
                rows.push({
                    surface, argument: 'options.signal', value: signal.label, source: 'proposal',
                    expected: bad('BadRequestException', 'INVALID_OPTION', { option: 'signal', value: signal.shown }),
                    run: fx => call(fx, { signal: signal.make() })
                });
            }
            // A truthy string turns the watchdog on: `watchdog: 'false'` renews.
            for (const watchdog of watchdogs) {
                rows.push({
                    surface, argument: 'options.watchdog', value: watchdog.label, source: 'proposal',
                    expected: bad('BadRequestException', 'INVALID_OPTION', { option: 'watchdog', value: watchdog.shown }),
                    run: fx => call(fx, { watchdog: watchdog.make() })
                });
            }
            // acquire(ctx, key, 5000) reads like acquireLock's positional ttl and silently takes the defaults.
            for (const notObject of notObjects) {
                rows.push({
                    surface, argument: 'options', value: notObject.label, source: 'proposal',
                    expected: bad('BadRequestException', 'INVALID_OPTION', { option: 'options', value: notObject.shown }),
                    run: fx => call(fx, notObject.make())
                });
            }
        }
        // An aborted signal: the call rejects with the signal's reason, before sending anything.
        rows.push({
            surface: 'RedisLock.acquire', argument: 'options.signal', value: 'already aborted', source: 'README',
            expected: { className: 'DOMException', code: '20' },
            run: fx => fx.lock.acquire(C, fx.heldKey, { signal: AbortSignal.abort() })
        });
        for (const surface of ['RedisLock.acquire', 'RedisLock.withLock']) {
            rows.push({
                surface, argument: 'options', value: 'null (the defaults)', source: 'proposal', expected: 'accepted',
                run: fx => surface == 'RedisLock.acquire'
                    ? fx.lock.acquire(C, fx.scratchKey('options-null'), null as any)
                    : fx.lock.withLock(C, fx.scratchKey('options-null'), fx.work, null as any)
            });
            rows.push({
                surface, argument: 'options.signal', value: 'null', source: 'proposal', expected: 'accepted',
                run: fx => surface == 'RedisLock.acquire'
                    ? fx.lock.acquire(C, fx.scratchKey('signal-null'), { signal: null as any })
                    : fx.lock.withLock(C, fx.scratchKey('signal-null'), fx.work, { signal: null as any })
            });
        }
        // README: withLock() renews "unless told not to"; passing an option through as undefined is not telling.
        for (const [label, watchdog, source] of [['undefined', undefined, 'README'], ['null', null, 'proposal']] as [string, any, RowSource][]) {
            rows.push({
                surface: 'RedisLock.withLock', argument: 'options.watchdog', value: label + ' (renews)', source,
                expected: 'accepted',
                run: fx => fx.lock.withLock(C, fx.scratchKey('watchdog-' + label), async (_signal, lease) => {
                    // The watchdog renews at ttl/3 = 50 ms: wait for that compare-and-PEXPIRE on the key
                    // (after a mark, so the acquire's own line, which MONITOR may deliver late, is not counted).
                    await fx.tap.mark();
                    await fx.tap.waitFor(line => line.includes(lease.key), 1, 1000);
                    return 'renewed';
                }, { ttl: 150, watchdog })
            });
        }
        for (const fn of [v("'v'", () => 'v', 'string'), v('null', () => null, 'null'), v('undefined', () => undefined, 'undefined'),
            v('42', () => 42, 'number'), v('{}', () => ({}), 'object')]) {
            rows.push({
                surface: 'RedisLock.withLock', argument: 'fn', value: fn.label, source: 'proposal',
                expected: bad('BadRequestException', 'INVALID_FUNCTION', { fn: fn.shown }),
                run: fx => fx.lock.withLock(C, fx.scratchKey('fn'), fn.make(), { ttl: 1000 })
            });
        }
        return rows;
    }

    private static cacheArgumentRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        const surfaces: [string, (fx: BadInputFixture, key: string, timeout: any) => Promise<any>][] = [
            ['RedisCache.store', (fx, key, timeout) => fx.cache.store(C, key, 'value', timeout)],
            ['RedisCache.getOrSet', (fx, key, timeout) => fx.cache.getOrSet(C, key, timeout, fx.work)]
        ];
        for (const [surface, call] of surfaces) {
            for (const timeout of BAD_CACHE_TIMEOUTS) {
                rows.push({
                    surface, argument: 'timeout', value: timeout.label, source: 'TSDoc',
                    expected: bad('BadRequestException', 'INVALID_TTL', { timeout: timeout.shown }),
                    run: fx => call(fx, fx.cacheKey, timeout.make())
                });
            }
            for (const timeout of DEFAULT_CACHE_TIMEOUTS) {
                let key = '';
                rows.push({
                    surface, argument: 'timeout', value: timeout.label + ' (options.timeout)', source: 'README', expected: 'accepted',
                    run: fx => call(fx, key = fx.scratchKey('cache-default'), timeout.make()),
                    check: async fx => {
                        const pttl = await pttlOf(fx, key);
                        assert.isTrue(pttl > BadInputFixture.cacheTimeout - 5000 && pttl <= BadInputFixture.cacheTimeout,
                            'TTL is options.timeout; PTTL ' + pttl);
                    },
                    cleanup: fx => releaseAll(fx, key)
                });
            }
            let big = '';
            rows.push({
                surface, argument: 'timeout', value: '2**32', source: 'README', expected: 'accepted',
                run: fx => call(fx, big = fx.scratchKey('cache-big'), TWO_POW_32),
                check: async fx => assert.isAbove(await pttlOf(fx, big), TWO_POW_32 - 10000),
                cleanup: fx => releaseAll(fx, big)
            });
        }
        const fills = BAD_TTLS.filter(t => t.label != 'null' && t.label != 'undefined');
        for (const fill of fills) {
            rows.push({
                surface: 'RedisCache.getOrSet', argument: 'fillTimeout', value: fill.label, source: 'TSDoc',
                expected: bad('BadRequestException', 'INVALID_TTL', { fill_timeout: fill.shown }),
                run: fx => fx.cache.getOrSet(C, fx.cacheKey, HOLD, fx.work, fill.make())
            });
        }
        for (const [label, fill, source] of [['null', null, 'proposal'], ['undefined', undefined, 'TSDoc'], ['2**32', TWO_POW_32, 'TSDoc']] as [string, any, RowSource][]) {
            let key = '';
            rows.push({
                surface: 'RedisCache.getOrSet', argument: 'fillTimeout', value: label, source, expected: 'accepted',
                run: fx => fx.cache.getOrSet(C, key = fx.scratchKey('fill'), HOLD, fx.work, fill),
                check: async (fx, result) => {
                    assert.equal(result, 'made');
                    assert.equal(fx.calls, 1, 'produced once');
                },
                cleanup: fx => releaseAll(fx, key)
            });
        }
        const producers = [
            v("'v'", () => 'v', 'string'), v('null', () => null, 'null', 'proposal'), v('undefined', () => undefined, 'undefined'),
            v('42', () => 42, 'number'), v('{}', () => ({}), 'object')
        ];
        for (const producer of producers) {
            rows.push({
                surface: 'RedisCache.getOrSet', argument: 'produce', value: producer.label, source: weakestSource('TSDoc', producer.source),
                expected: bad('BadRequestException', 'INVALID_PRODUCER', { produce: producer.shown }),
                run: fx => fx.cache.getOrSet(C, fx.cacheKey, HOLD, producer.make())
            });
        }
        return rows;
    }

    private static valueRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        for (const value of BAD_VALUES) {
            rows.push({
                surface: 'RedisCache.store', argument: 'value', value: value.label, source: weakestSource('README', value.source),
                expected: bad('BadRequestException', 'INVALID_VALUE', { value: value.shown }),
                run: fx => fx.cache.store(C, fx.cacheKey, value.make(), HOLD)
            });
        }
        // A produced value: the miss reads and takes the fill lock, but nothing is written and the lock is freed.
        for (const value of BAD_VALUES.filter(b => ['10n', 'NaN', 'cyclic { self }', 'function f', "{ s: Symbol('t') }", 'Invalid Date'].includes(b.label))) {
            let key = '';
            rows.push({
                surface: 'RedisCache.getOrSet', argument: 'produce() result', value: value.label, source: weakestSource('TSDoc', value.source),
                expected: bad('BadRequestException', 'INVALID_VALUE', { value: value.shown }), traffic: 'no-write',
                run: fx => fx.cache.getOrSet(C, key = fx.scratchKey('produced'), HOLD, () => value.make()),
                check: async fx => {
                    assert.equal(await fx.client.exists(key), 0, 'nothing stored under the key');
                    assert.isFalse(fx.tap.lines.some(line => line.toLowerCase().includes('"set" "' + key.toLowerCase() + '"')),
                        'no SET of the key reached Redis');
                    // The fill lock was released: the next caller fills at once instead of waiting it out.
                    assert.equal(await fx.cache.getOrSet(C, key, HOLD, () => 'refilled'), 'refilled');
                },
                cleanup: fx => releaseAll(fx, key)
            });
        }
        return rows;
    }

    private static optionRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        const configure = (make: () => { configure(config: ConfigParams): void }, name: string, value: string) => async () => {
            make().configure(ConfigParams.fromTuples('options.' + name, value));
        };
        const lock = () => new RedisLock();
        const cache = () => new RedisCache();
        const families: [string, () => { configure(config: ConfigParams): void }, string[], Value[], RowSource][] = [
            ['RedisLock.configure', lock, ['retry_timeout', 'lock_ttl', 'connect_timeout', 'command_timeout', 'reconnect_max_delay'], BAD_MS_MIN1, 'README'],
            ['RedisLock.configure', lock, ['acquire_timeout', 'max_hold'], BAD_MS_MIN0, 'README'],
            ['RedisCache.configure', cache, ['timeout', 'fill_timeout'], BAD_MS_MIN1, 'README'],
            ['RedisCache.configure', cache, ['retry_timeout', 'connect_timeout', 'command_timeout', 'reconnect_max_delay'],
                BAD_MS_MIN1.filter(b => ["'soon'", "'0'", "'-1'"].includes(b.label)), 'README']
        ];
        for (const [surface, make, names, values, source] of families) {
            for (const name of names) {
                for (const value of values) {
                    const raw = value.make();
                    rows.push({
                        surface, argument: 'options.' + name, value: value.label, source: weakestSource(source, value.source),
                        expected: bad('ConfigException', 'INVALID_OPTION', { option: name, value: value.shown }, { traceId: undefined }),
                        run: configure(make, name, raw)
                    });
                }
            }
        }
        for (const [surface, make] of [['RedisLock.configure', lock], ['RedisCache.configure', cache]] as [string, () => any][]) {
            // A typo in a boolean must not silently mean false.
            if (surface == 'RedisLock.configure') {
                for (const value of ['maybe', '2']) {
                    rows.push({
                        surface, argument: 'options.watchdog', value: "'" + value + "'", source: 'proposal',
                        expected: bad('ConfigException', 'INVALID_OPTION', { option: 'watchdog', value }, { traceId: undefined }),
                        run: configure(make, 'watchdog', value)
                    });
                }
            }
            // With NUL in a prefix, one service's key could equal another's companion key.
            rows.push({
                surface, argument: 'options.key_prefix', value: "'svc\\u0000'", source: 'proposal',
                expected: bad('ConfigException', 'INVALID_OPTION', { option: 'key_prefix', value: 'svc\u0000' }, { traceId: undefined }),
                run: configure(make, 'key_prefix', 'svc\u0000')
            });
        }
        // Topology and replication options: a typo must not silently mean one server or no acknowledgement.
        const strict: [string, () => any, string, string][] = [
            ['RedisLock.configure', lock, 'min_replicas', '-1'],
            ['RedisLock.configure', lock, 'min_replicas', 'two'],
            ['RedisLock.configure', lock, 'min_replicas', '1.5'],
            ['RedisLock.configure', lock, 'min_replicas', '101'],
            ['RedisLock.configure', lock, 'cluster', 'maybe'],
            ['RedisCache.configure', cache, 'cluster', '2'],
            ['RedisLock.configure', lock, 'sentinel_name', ' '],
            ['RedisCache.configure', cache, 'sentinel_name', '']
        ];
        for (const [surface, make, name, value] of strict) {
            rows.push({
                surface, argument: 'options.' + name, value: "'" + value + "'", source: 'proposal',
                expected: bad('ConfigException', 'INVALID_OPTION', { option: name, value }, { traceId: undefined }),
                run: configure(make, name, value)
            });
        }
        // A cluster has no sentinels: both at once is a contradiction, refused at configure().
        rows.push({
            surface: 'RedisLock.configure', argument: 'options.cluster + options.sentinel_name', value: "true + 'mymaster'",
            source: 'proposal', expected: bad('ConfigException', 'TOPOLOGY_CONFLICT', { sentinel_name: 'mymaster' }, { traceId: undefined }),
            run: async () => new RedisLock().configure(ConfigParams.fromTuples('options.cluster', true, 'options.sentinel_name', 'mymaster'))
        });
        const accepted: [string, () => any, string, string, RowSource][] = [
            ['RedisLock.configure', lock, 'timeout', 'soon', 'README'],
            ['RedisLock.configure', lock, 'retries', 'never', 'README'],
            ['RedisLock.configure', lock, 'acquire_timeout', '0', 'TSDoc'],
            ['RedisLock.configure', lock, 'max_hold', '0', 'README'],
            ['RedisLock.configure', lock, 'lock_ttl', String(TWO_POW_32), 'lead'],
            ['RedisLock.configure', lock, 'watchdog', 'true', 'README'],
            ['RedisCache.configure', cache, 'max_size', 'unbounded', 'README'],
            ['RedisCache.configure', cache, 'timeout', String(TWO_POW_32), 'README']
        ];
        for (const [surface, make, name, value, source] of accepted) {
            rows.push({
                surface, argument: 'options.' + name, value: "'" + value + "'", source, expected: 'accepted',
                run: configure(make, name, value)
            });
        }
        return rows;
    }

    private static connectionRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        const at = (fx: BadInputFixture) => fx.server.host + ':' + fx.server.port;
        // [argument, value label, tuples, expected code, details, source, secret?, traffic?]
        type Case = [string, string, (fx: BadInputFixture) => any[], string, { [name: string]: string | RegExp } | undefined,
            RowSource, string?, RowTraffic?];
        const cases: Case[] = [
            ['connection.port', "'0'", () => ['connection.port', '0'], 'INVALID_PORT', { port: '0' }, 'README'],
            ['connection.port', "'65536'", () => ['connection.port', '65536'], 'INVALID_PORT', { port: '65536' }, 'README'],
            ['connection.port', "'-1'", () => ['connection.port', '-1'], 'INVALID_PORT', { port: '-1' }, 'README'],
            ['connection.port', "'abc'", () => ['connection.port', 'abc'], 'INVALID_PORT', { port: 'abc' }, 'README'],
            ['connection.port', "'1.5'", () => ['connection.port', '1.5'], 'INVALID_PORT', { port: '1.5' }, 'README'],
            ['connection.port', "'0x10'", () => ['connection.port', '0x10'], 'INVALID_PORT', { port: '0x10' }, 'proposal'],
            ['connection.uri', "'not a uri'", () => ['connection.uri', 'not a uri'], 'INVALID_URI', { uri: 'not a uri' }, 'README'],
            ['connection.uri', "'redis://'", () => ['connection.uri', 'redis://'], 'INVALID_URI', { uri: 'redis://' }, 'README'],
            ['connection.uri', "'redis://user:s3cret@/0'", () => ['connection.uri', 'redis://user:s3cret@/0'], 'INVALID_URI',
                { uri: 'redis://***@/0' }, 'README', 's3cret'],
            ['connection.uri', "'redis://host:99999'", fx => ['connection.uri', 'redis://' + fx.server.host + ':99999'], 'INVALID_PORT',
                { port: '99999' }, 'README'],
            ['connection.uri', "'http://host:port'", fx => ['connection.uri', 'http://' + at(fx)], 'UNSUPPORTED_PROTOCOL',
                { protocol: 'http' }, 'README'],
            ['connection.uri', "'redis://host:0'", fx => ['connection.uri', 'redis://' + fx.server.host + ':0'], 'INVALID_PORT',
                { port: '0' }, 'README'],
            ['connection.uri', "'redis://host:port/x'", fx => ['connection.uri', 'redis://' + at(fx) + '/x'], 'INVALID_DATABASE',
                { database: 'x' }, 'README'],
            ['connection.uri', "'redis://:s3/cret@host:port/0' (password with /)", fx => ['connection.uri', 'redis://:s3/cret@' + at(fx) + '/0'],
                'INVALID_URI', undefined, 'issue', 's3/cret'],
            ['connection.uri', "''", () => ['connection.uri', ''], 'INVALID_URI', { uri: '' }, 'proposal'],
            // README: host defaults to localhost when absent; an explicit '' is an unset variable, not "localhost".
            ['connection.host', "''", () => ['connection.host', ''], 'INVALID_HOST', { host: '' }, 'proposal'],
            ['connection.protocol', "'tcp'", () => ['connection.protocol', 'tcp'], 'UNSUPPORTED_PROTOCOL', { protocol: 'tcp' }, 'README'],
            ['connection.protocol', "'http'", () => ['connection.protocol', 'http'], 'UNSUPPORTED_PROTOCOL', { protocol: 'http' }, 'README'],
            ['connection.protocol', "''", () => ['connection.protocol', ''], 'UNSUPPORTED_PROTOCOL', { protocol: '' }, 'proposal'],
            ['connection.database', "'-1'", () => ['connection.database', '-1'], 'INVALID_DATABASE', { database: '-1' }, 'README'],
            ['connection.database', "'x'", () => ['connection.database', 'x'], 'INVALID_DATABASE', { database: 'x' }, 'README'],
            ['connection.database', "'1.5'", () => ['connection.database', '1.5'], 'INVALID_DATABASE', { database: '1.5' }, 'README'],
            ['connection.database', "''", () => ['connection.database', ''], 'INVALID_DATABASE', { database: '' }, 'proposal'],
            // Number('1e1') is 10: silently another database.
            ['connection.database', "'1e1'", () => ['connection.database', '1e1'], 'INVALID_DATABASE', { database: '1e1' }, 'proposal'],
            // Only the server knows it has 16 databases; its refusal is final, so no retrying until connect_timeout.
            ['connection.database', "'16' (server has 16)", () => ['connection.database', '16'], 'INVALID_DATABASE',
                { database: '16' }, 'proposal', undefined, 'any']
        ];
        const surfaces: [string, () => any][] = [['RedisLock.open', () => new RedisLock()], ['RedisCache.open', () => new RedisCache()]];
        const cacheSubset = ["'abc'", "'not a uri'", "'tcp'", "'x'", "'redis://user:s3cret@/0'"];
        for (const [surface, make] of surfaces) {
            for (const [argument, label, tuples, code, details, source, secret, traffic] of cases) {
                if (surface == 'RedisCache.open' && !cacheSubset.includes(label)) continue;
                rows.push(BadInputTable.openRow(surface, make, argument, label, fx => fx.config(...tuples(fx)),
                    bad('ConfigException', code, details, { secret }), source, traffic));
            }
        }
        // NO_CONNECTION: nothing configured anywhere (never falls back to a default server).
        const nothing: [string, string, () => ConfigParams, (component: any) => void][] = [
            ['connection', 'absent (options only)', () => ConfigParams.fromTuples('options.connect_timeout', 1000), () => undefined],
            ['connection', 'absent (credential only)', () => ConfigParams.fromTuples('credential.password', 's3cret'), () => undefined],
            ['connection.discovery_key', "'main' without discovery", () => ConfigParams.fromTuples('connection.discovery_key', 'main'), () => undefined],
            ['connection.discovery_key', "'main', discovery knows nothing", () => ConfigParams.fromTuples('connection.discovery_key', 'main'),
                component => component.setReferences(References.fromTuples(
                    new Descriptor('pip-services', 'discovery', 'memory', 'default', '1.0'), new MemoryDiscovery()))]
        ];
        for (const [surface, make] of surfaces) {
            for (const [argument, label, config, refer] of nothing) {
                rows.push(BadInputTable.openRow(surface, make, argument, label, () => config(),
                    bad('ConfigException', 'NO_CONNECTION', undefined, { secret: 's3cret' }), 'README', 'none', refer));
            }
        }
        // Root-level keys (no connection section) are validated like the section's.
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'port (root level)', "'abc'",
            fx => ConfigParams.fromTuples('host', fx.server.host, 'port', 'abc', 'options.connect_timeout', 1000),
            bad('ConfigException', 'INVALID_PORT', { port: 'abc' }), 'README'));
        // A store_key the credential store does not know: today the connection silently goes unauthenticated.
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'credential.store_key', "'missing', store knows nothing",
            fx => fx.config('credential.store_key', 'missing'),
            bad('ConfigException', 'NO_CREDENTIAL', { store_key: 'missing' }), 'proposal', 'none',
            component => component.setReferences(References.fromTuples(
                new Descriptor('pip-services', 'credential-store', 'memory', 'default', '1.0'), new MemoryCredentialStore()))));
        // Credentials the server refuses: sent by necessity, refused once, never echoed.
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'credential', "username 'nobody', password 's3cret'",
            fx => fx.config('credential.username', 'nobody', 'credential.password', 's3cret'),
            bad('ConnectionException', 'AUTH_FAILED', undefined, { secret: 's3cret' }), 'README', 'any'));
        // A user name without a password: node-redis sends no AUTH then, and the connection would run
        // as `default`; refused before connecting (a `nopass` user takes any password).
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'credential.username', "'nobody' without password",
            fx => fx.config('credential.username', 'nobody'),
            bad('ConfigException', 'MISSING_PASSWORD', { username: 'nobody' }), 'proposal', 'none'));
        // Several connections: seed nodes or sentinels only when the configuration says which; they
        // must agree, since one client configuration reaches every node.
        const two = (fx: BadInputFixture, ...more: any[]) => ConfigParams.fromTuples(
            'connections.0.host', fx.server.host, 'connections.0.port', fx.server.port,
            'connections.1.host', fx.server.host, 'connections.1.port', fx.server.port, ...more);
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'connections', 'two, no topology',
            fx => two(fx), bad('ConfigException', 'MANY_CONNECTIONS', { connections: '2' }), 'proposal', 'none'));
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'connections.1.database', "'1' (cluster seed nodes)",
            fx => two(fx, 'options.cluster', true, 'connections.1.database', 1),
            bad('ConfigException', 'INCONSISTENT_CONNECTIONS', { connection: '1' }), 'proposal', 'none'));
        rows.push(BadInputTable.openRow('RedisCache.open', () => new RedisCache(), 'connections.1.protocol', "'rediss' (sentinels)",
            fx => two(fx, 'options.sentinel_name', 'mymaster', 'connections.1.protocol', 'rediss'),
            bad('ConfigException', 'INCONSISTENT_CONNECTIONS', { connection: '1' }), 'proposal', 'none'));
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'connection.database', "'2' (cluster)",
            fx => fx.config('options.cluster', true, 'connection.database', 2),
            bad('ConfigException', 'INVALID_DATABASE', { database: '2' }), 'proposal', 'none'));
        // URI schemes are case-insensitive (the URI parser lowercases them); the protocol key should be too.
        rows.push(BadInputTable.openRow('RedisLock.open', () => new RedisLock(), 'connection.protocol', "'REDIS'",
            fx => fx.config('connection.protocol', 'REDIS'), 'accepted', 'proposal', 'any'));
        return rows;
    }

    private static openRow(surface: string, make: () => any, argument: string, value: string,
        config: (fx: BadInputFixture) => ConfigParams, expected: ExpectedFailure | 'accepted', source: RowSource,
        traffic: RowTraffic = 'none', refer: (component: any) => void = () => undefined): BadInputRow {
        let component: any = null;
        return {
            surface, argument, value, expected, source, traffic,
            run: async fx => {
                component = make();
                component.configure(config(fx));
                refer(component);
                try {
                    await component.open(C);
                } catch (err) {
                    assert.isFalse(component.isOpen(), 'a failed open leaves nothing open');
                    throw err;
                }
            },
            cleanup: async () => { await component?.close(null); }
        };
    }

    private static contextRows(): BadInputRow[] {
        const rows: BadInputRow[] = [];
        for (const context of CONTEXTS) {
            rows.push({
                surface: 'RedisLock (every method)', argument: 'context', value: context.label, source: context.source,
                expected: 'accepted', traffic: 'any',
                run: async fx => {
                    const ctx = context.make();
                    const lock = new RedisLock();
                    lock.configure(fx.config());
                    await lock.open(ctx);
                    try {
                        const key = fx.scratchKey('context');
                        assert.isTrue(await lock.tryAcquireLock(ctx, key, 5000));
                        await lock.extendLock(ctx, key, 5000);
                        await lock.releaseLock(ctx, key);
                        await lock.acquireLock(ctx, key, 5000, 0);
                        await lock.releaseLock(ctx, key);
                        const lease = await lock.acquire(ctx, key, { ttl: 5000, timeout: 0 });
                        await lease.extend(5000);
                        assert.isTrue(await lease.release());
                        assert.equal(await lock.withLock(ctx, key, async () => 'done', { ttl: 5000, timeout: 0 }), 'done');
                    } finally {
                        await lock.close(ctx);
                    }
                }
            });
            rows.push({
                surface: 'RedisCache (every method)', argument: 'context', value: context.label, source: context.source,
                expected: 'accepted', traffic: 'any',
                run: async fx => {
                    const ctx = context.make();
                    const cache = new RedisCache();
                    cache.configure(fx.config());
                    await cache.open(ctx);
                    try {
                        const key = fx.scratchKey('context');
                        await cache.store(ctx, key, 1, 5000);
                        assert.equal(await cache.retrieve(ctx, key), 1);
                        await cache.remove(ctx, key);
                        assert.equal(await cache.getOrSet(ctx, key, 5000, () => 2), 2);
                        await cache.remove(ctx, key);
                    } finally {
                        await cache.close(ctx);
                    }
                }
            });
            const traced = { traceId: context.traceId };
            rows.push({
                surface: 'RedisLock.tryAcquireLock', argument: 'context (trace id of the error)', value: context.label,
                source: context.source,
                expected: bad('BadRequestException', 'INVALID_KEY', undefined, traced),
                run: fx => fx.lock.tryAcquireLock(context.make(), '', 1000)
            });
            rows.push({
                surface: 'RedisCache.getOrSet', argument: 'context (trace id of the error)', value: context.label,
                source: context.source,
                expected: bad('BadRequestException', 'INVALID_PRODUCER', undefined, traced),
                run: fx => fx.cache.getOrSet(context.make(), fx.cacheKey, 1000, null as any)
            });
            rows.push({
                surface: 'LockLease.extend', argument: 'context of acquire (trace id of the error)', value: context.label,
                source: weakestSource('lead', context.source),
                expected: bad('BadRequestException', 'INVALID_TTL', undefined, traced),
                prepare: fx => fx.lock.acquire(context.make(), fx.scratchKey('context-lease'), { ttl: 5000 }),
                run: (_fx, lease: LockLease) => lease.extend(0),
                cleanup: async (_fx, lease: LockLease) => { await lease?.release().catch(() => false); }
            });
            let unconfigured: RedisLock | null = null;
            rows.push({
                surface: 'RedisLock.open', argument: 'context (trace id of the error)', value: context.label,
                source: context.source,
                expected: bad('ConfigException', 'NO_CONNECTION', undefined, traced),
                run: async () => {
                    unconfigured = new RedisLock();
                    unconfigured.configure(ConfigParams.fromTuples('options.connect_timeout', 1000));
                    await unconfigured.open(context.make());
                },
                cleanup: async () => { await unconfigured?.close(null); }
            });
        }
        return rows;
    }

    private static factoryRows(): BadInputRow[] {
        const factory = new DefaultRedisFactory();
        const locators: [string, () => any][] = [
            ["Descriptor 'pip-services:lock:memory:default:1.0'", () => new Descriptor('pip-services', 'lock', 'memory', 'default', '1.0')],
            ["Descriptor 'pip-services:lock:redis:default:2.0'", () => new Descriptor('pip-services', 'lock', 'redis', 'default', '2.0')],
            ["string 'pip-services:lock:redis:default:1.0'", () => 'pip-services:lock:redis:default:1.0']
            // A null locator is not here: the toolkit's Descriptor.equals(null) throws a TypeError
            // (contract §1.3), which DefaultRedisFactory inherits and does not own.
        ];
        const rows: BadInputRow[] = [];
        for (const [label, locator] of locators) {
            rows.push({
                surface: 'DefaultRedisFactory.create', argument: 'locator', value: label + ' (not ours: null)', source: 'toolkit',
                expected: 'accepted',
                run: async () => factory.create(locator()),
                check: async (_fx, result) => assert.isNull(result)
            });
            rows.push({
                surface: 'DefaultRedisFactory.canCreate', argument: 'locator', value: label + ' (not ours: null)', source: 'toolkit',
                expected: 'accepted',
                run: async () => factory.canCreate(locator()),
                check: async (_fx, result) => assert.isNull(result)
            });
        }
        return rows;
    }
}

import { assert } from 'chai';

import { assertException, textOf } from '../support/Errors';
import { BadInputFixture } from './BadInputFixture';
import { BadInputRow, BadInputTable, ExpectedFailure } from './BadInputTable';

/** A value for a failure message (symbols and BigInts included). */
function show(value: any): string {
    if (typeof value === 'bigint') return value + 'n';
    if (value instanceof Error || value?.code != null) {
        return (value?.constructor?.name ?? 'Error') + ' ' + (value.code ?? '') + ': ' + value.message;
    }
    try {
        return String(value);
    } catch {
        return Object.prototype.toString.call(value);
    }
}

/** A detail exactly as the exception holds it (StringValueMap.get turns '' into null). */
function detailOf(err: any, name: string): any {
    const details = err?.details;
    return details != null && Object.prototype.hasOwnProperty.call(details, name) ? details[name] : undefined;
}

function outcomeOf(expected: ExpectedFailure | 'accepted'): string {
    return expected === 'accepted' ? 'accepted' : expected.className + ' ' + expected.code;
}

/** Runs a check, collecting its failure instead of stopping, so a row reports everything it got wrong. */
async function collect(failures: string[], check: () => unknown): Promise<void> {
    try {
        await check();
    } catch (err: any) {
        failures.push(err?.message ?? String(err));
    }
}

function assertFailure(err: any, expected: ExpectedFailure): void {
    if (err?.constructor?.name !== expected.className || String(err?.code) !== expected.code) {
        assert.fail('expected ' + outcomeOf(expected) + '; got ' + show(err));
    }
    assertException(err, expected.className, expected.code);
    for (const [name, value] of Object.entries(expected.details ?? {})) {
        const actual = detailOf(err, name);
        if (value instanceof RegExp) assert.match(String(actual), value, 'details.' + name);
        else assert.strictEqual(actual, value, 'details.' + name + ' names the offending value');
    }
    if (expected.traceId !== undefined) assert.equal(err.trace_id ?? null, expected.traceId, 'trace id');
    if (expected.secret != null) assert.notInclude(textOf(err), expected.secret, 'the secret appears nowhere in the error');
}

async function runRow(fx: BadInputFixture, row: BadInputRow): Promise<void> {
    await fx.restore();
    const prepared = row.prepare != null ? await row.prepare(fx) : undefined;
    const from = await fx.tap.mark();
    let result: any;
    let error: any;
    let failed = false;
    try {
        result = await row.run(fx, prepared);
    } catch (err) {
        error = err;
        failed = true;
    }
    // MONITOR shows commands in the order the server ran them: anything the call sent shows before this mark.
    const to = await fx.tap.mark();
    const sent = fx.tap.between(from, to);
    const failures: string[] = [];
    try {
        if (row.expected === 'accepted') {
            if (failed) {
                failures.push('expected the call to be accepted; it failed with ' + show(error));
            } else if (row.check != null) {
                await collect(failures, () => row.check!(fx, result, prepared, sent));
            }
        } else {
            const expected = row.expected;
            if (!failed) failures.push('expected ' + outcomeOf(expected) + '; the call resolved to ' + show(result));
            else await collect(failures, () => assertFailure(error, expected));
            const traffic = row.traffic ?? 'none';
            if (traffic == 'none') {
                if (sent.length > 0) {
                    failures.push('nothing reached Redis; MONITOR showed ' + sent.length + ' command(s): '
                        + sent.slice(0, 4).map(line => line.replace(/^[\d.]+ \[[^\]]*\] /, '').slice(0, 100)).join(' | '));
                }
            }
            if (traffic == 'no-write' && row.check != null) {
                await collect(failures, () => row.check!(fx, result, prepared, sent));
            }
            await collect(failures, () => assert.equal(fx.calls, 0, 'the producer / function never ran'));
        }
        await collect(failures, () => fx.assertIntact());
    } finally {
        // An acquire that should have failed but succeeded holds a lock: give it back.
        if (result != null && typeof result.release === 'function' && typeof result.token === 'string') {
            await result.release().catch(() => false);
        }
        await row.cleanup?.(fx, prepared).catch(() => undefined);
    }
    if (failures.length > 0) assert.fail(failures.join('\n'));
}

/**
 * The bad-input table (issue 8, item 7): every public method and configuration key with bad and
 * edge values. Each row asserts the documented exception class and code, the offending value in
 * the details, nothing sent to Redis (MONITOR on a private server), and that a lock held through
 * the ILock API, a lease and a cached value of the same components are left exactly as they were.
 * Rows marked `proposal` are expectations where the docs are silent; see BadInputTable.
 */
suite('Bad input', function () {
    let fx: BadInputFixture;

    suiteSetup(async () => {
        fx = await BadInputFixture.start();
    });

    suiteTeardown(async () => {
        await fx?.stop();
    });

    const rows = BadInputTable.rows();
    const surfaces = [...new Set(rows.map(row => row.surface))];
    for (const surface of surfaces) {
        suite(surface, () => {
            for (const row of rows.filter(r => r.surface == surface)) {
                test(row.argument + ' = ' + row.value + ' → ' + outcomeOf(row.expected) + ' [' + row.source + ']',
                    () => runRow(fx, row));
            }
        });
    }
});

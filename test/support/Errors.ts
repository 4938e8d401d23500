import { assert } from 'chai';

/** Runs an action that must fail and returns its error. */
export async function failureOf(action: () => Promise<unknown>): Promise<any> {
    try {
        await action();
    } catch (err) {
        return err;
    }
    assert.fail('expected the action to fail');
}

/** Everything an error could show a user or a log: message, stack, cause, details, JSON. */
export function textOf(err: any): string {
    let json = '';
    try { json = JSON.stringify(err); } catch { /* cyclic */ }
    return [err?.message, err?.stack, String(err?.cause ?? ''), JSON.stringify(err?.details ?? {}), json].join('\n');
}

/** Asserts an error is a pip-services exception of a class (by name: commons resets prototypes) and code. */
export function assertException(err: any, className: string, code: string): void {
    assert.isDefined(err, 'expected an error');
    assert.equal(err?.constructor?.name, className, 'exception class; got: ' + err?.stack);
    assert.equal(err.code, code, 'exception code; got: ' + err?.message);
}

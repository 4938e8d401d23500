import { assert } from 'chai';
import { ConfigParams, Context, Descriptor, References } from 'pip-services4-components-node';

import { CredentialParams, CredentialResolver, MemoryCredentialStore } from '../../src';

const storeLocator = new Descriptor('pip-services', 'credential-store', 'memory', 'default', '1.0');

async function rejection(promise: Promise<any>): Promise<any> {
    try {
        await promise;
    } catch (ex) {
        return ex;
    }
    assert.fail('expected a rejection');
}

suite('CredentialResolver', () => {
    test('configure appends; getAll; add', () => {
        const resolver = new CredentialResolver(ConfigParams.fromTuples('credential.username', 'u1'));
        resolver.configure(ConfigParams.fromTuples('credentials.a.username', 'u2'));
        resolver.add(CredentialParams.fromTuples('username', 'u3'));
        assert.deepEqual(resolver.getAll().map((c) => c.getUsername()), ['u1', 'u2', 'u3']);
    });

    test('lookup with no credentials → null', async () => {
        assert.isNull(await new CredentialResolver().lookup(null));
    });

    test('first credential without store_key is returned directly', async () => {
        const resolver = new CredentialResolver(ConfigParams.fromTuples(
            'credentials.a.store_key', 'k', 'credentials.b.password', 'pb'), new References());
        const credential = await resolver.lookup(null);
        assert.strictEqual(credential.getPassword(), 'pb');
    });

    test('store_key without references → null', async () => {
        const resolver = new CredentialResolver(ConfigParams.fromTuples('credential.store_key', 'k'));
        assert.isNull(await resolver.lookup(null));
    });

    test('store_key with references but no credential store → ReferenceException', async () => {
        const resolver = new CredentialResolver(ConfigParams.fromTuples('credential.store_key', 'k'), new References());
        const error = await rejection(resolver.lookup(Context.fromTraceId('t2')));
        assert.strictEqual(error.code, 'REF_ERROR');
        assert.match(error.message, /\*:credential-store:\*:\*:\*$/);
        assert.strictEqual(error.trace_id, 't2');
    });

    test('store result is returned as is, not merged with the configured credential', async () => {
        const store = new MemoryCredentialStore(ConfigParams.fromTuples('key1.username', 'su', 'key1.password', 'sp'));
        const resolver = new CredentialResolver(ConfigParams.fromTuples(
            'credential.store_key', 'key1', 'credential.password', 'ignored', 'credential.access_id', 'also-ignored'),
        References.fromTuples(storeLocator, store));
        const credential = await resolver.lookup(null);
        assert.strictEqual(credential.getUsername(), 'su');
        assert.strictEqual(credential.getPassword(), 'sp');
        assert.isNull(credential.getAccessId());
        assert.isNull(credential.getStoreKey());
    });

    test('stores newest first; undefined lookups skipped; first found returned', async () => {
        const older = new MemoryCredentialStore(ConfigParams.fromTuples('k1.password', 'older', 'k2.password', 'older2'));
        const newer = new MemoryCredentialStore(ConfigParams.fromTuples('k1.password', 'newer'));
        const references = References.fromTuples(storeLocator, older, storeLocator, newer);

        const r1 = new CredentialResolver(ConfigParams.fromTuples('credential.store_key', 'k1'), references);
        assert.strictEqual((await r1.lookup(null)).getPassword(), 'newer');

        const r2 = new CredentialResolver(ConfigParams.fromTuples('credential.store_key', 'k2'), references);
        assert.strictEqual((await r2.lookup(null)).getPassword(), 'older2');

        const r3 = new CredentialResolver(ConfigParams.fromTuples(
            'credentials.a.store_key', 'missing', 'credentials.b.store_key', 'k2', 'credentials.c.store_key', 'k1'),
        references);
        assert.strictEqual((await r3.lookup(null)).getPassword(), 'older2');

        const r4 = new CredentialResolver(ConfigParams.fromTuples('credential.store_key', 'missing'), references);
        assert.isNull(await r4.lookup(null));
    });
});

/*
 * Contract edge cases (§2.8) → test:
 * - configure appends → 'configure appends; getAll; add'
 * - none → null → 'lookup with no credentials → null'
 * - first without store_key returned directly → 'first credential without store_key…'
 * - references unset → null → 'store_key without references → null'
 * - no credential-store component → ReferenceException → 'store_key with references but no credential store…'
 * - result returned as is (configured password ignored) → 'store result is returned as is…'
 * - stores newest first, MemoryCredentialStore undefined skipped, first found wins → 'stores newest first…'
 * Not reproduced: DefaultConfigFactory (config readers are not part of this stand-in; not in the brief).
 */

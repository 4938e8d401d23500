import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { CredentialParams, MemoryCredentialStore } from '../../src';

suite('MemoryCredentialStore', () => {
    const config = ConfigParams.fromTuples(
        'key1.username', 'user1', 'key1.password', 'pass1',
        'key2.username', 'user2', 'key2.password', 'pass2');

    test('configured sections are looked up as CredentialParams', async () => {
        const store = new MemoryCredentialStore(config);
        const credential = await store.lookup(null, 'key1');
        assert.instanceOf(credential, CredentialParams);
        assert.strictEqual(credential.getUsername(), 'user1');
        assert.strictEqual(credential.getPassword(), 'pass1');
        assert.strictEqual((await store.lookup(null, 'key2')).getUsername(), 'user2');
    });

    test('configure = readCredentials, which clears first', async () => {
        const store = new MemoryCredentialStore(config);
        store.configure(ConfigParams.fromTuples('key3.password', 'p3'));
        assert.isUndefined(await store.lookup(null, 'key1'));
        assert.strictEqual((await store.lookup(null, 'key3')).getPassword(), 'p3');
        store.readCredentials(ConfigParams.fromTuples('key4.password', 'p4'));
        assert.isUndefined(await store.lookup(null, 'key3'));
    });

    test('sections are kept in string form: ";" inside values breaks them', async () => {
        const store = new MemoryCredentialStore(ConfigParams.fromTuples('key1.password', 'a;b=c'));
        const credential = await store.lookup(null, 'key1');
        assert.strictEqual(credential.getPassword(), 'a');
        assert.strictEqual(credential.get('b'), 'c');
    });

    test('lookup of an unknown key resolves to undefined', async () => {
        const store = new MemoryCredentialStore();
        const result = await store.lookup(null, 'missing');
        assert.isUndefined(result);
        assert.isUndefined(await new MemoryCredentialStore(config).lookup(null, 'KEY1'));
    });

    test('store saves the object as is; null deletes', async () => {
        const store = new MemoryCredentialStore(config);
        const credential = CredentialParams.fromTuples('username', 'stored');
        await store.store(null, 'key1', credential);
        assert.strictEqual(await store.lookup(null, 'key1'), credential);
        await store.store(null, 'key1', null);
        assert.isUndefined(await store.lookup(null, 'key1'));
    });
});

/*
 * Contract edge cases (§2.7) → test:
 * - configure = readCredentials, clears → 'configure = readCredentials…'
 * - string form, ';' / '=' in values break → 'sections are kept in string form…'
 * - unknown key resolves to undefined (exact-case keys) → 'lookup of an unknown key…'
 * - store saves object as is, null deletes → 'store saves the object as is; null deletes'
 */

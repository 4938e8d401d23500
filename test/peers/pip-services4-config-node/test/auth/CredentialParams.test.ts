import { assert } from 'chai';
import { ConfigParams } from 'pip-services4-components-node';

import { CredentialParams } from '../../src';

suite('CredentialParams', () => {
    test('store key', () => {
        const credential = new CredentialParams();
        assert.instanceOf(credential, ConfigParams);
        assert.isFalse(credential.useCredentialStore());
        assert.isNull(credential.getStoreKey());
        credential.setStoreKey('key1');
        assert.isTrue(credential.useCredentialStore());
        assert.strictEqual(credential.getStoreKey(), 'key1');
    });

    test('getters fall back to alternative keys; setters write the primary key', () => {
        const credential = CredentialParams.fromTuples(
            'user', 'u', 'pass', 'p', 'client_id', 'cid', 'secret_key', 'sk');
        assert.strictEqual(credential.getUsername(), 'u');
        assert.strictEqual(credential.getPassword(), 'p');
        assert.strictEqual(credential.getAccessId(), 'cid');
        assert.strictEqual(credential.getAccessKey(), 'sk');
        credential.put('client_key', 'ck');
        assert.strictEqual(credential.getAccessKey(), 'ck');

        credential.setUsername('U');
        credential.setPassword('P');
        credential.setAccessId('AID');
        credential.setAccessKey('AK');
        assert.strictEqual(credential.get('username'), 'U');
        assert.strictEqual(credential.get('password'), 'P');
        assert.strictEqual(credential.get('access_id'), 'AID');
        assert.strictEqual(credential.get('access_key'), 'AK');
        assert.strictEqual(credential.getUsername(), 'U');
        assert.strictEqual(credential.getAccessKey(), 'AK');

        const empty = new CredentialParams();
        assert.isNull(empty.getUsername());
        assert.isNull(empty.getPassword());
        assert.isNull(empty.getAccessId());
        assert.isNull(empty.getAccessKey());
    });

    test('fromString and fromTuples return CredentialParams', () => {
        const credential = CredentialParams.fromString('username=u;password=p');
        assert.instanceOf(credential, CredentialParams);
        assert.strictEqual(credential.getPassword(), 'p');
        assert.instanceOf(CredentialParams.fromTuples('a', 1), CredentialParams);
    });

    test('manyFromConfig / fromConfig use credentials.<name> then credential', () => {
        const many = CredentialParams.manyFromConfig(ConfigParams.fromTuples(
            'credentials.a.username', 'ua', 'credentials.b.username', 'ub', 'credential.username', 'ignored'));
        assert.deepEqual(many.map((c) => c.getUsername()), ['ua', 'ub']);
        assert.instanceOf(many[0], CredentialParams);

        const one = CredentialParams.manyFromConfig(ConfigParams.fromTuples('credential.password', 'p'));
        assert.lengthOf(one, 1);
        assert.strictEqual(one[0].getPassword(), 'p');

        assert.deepEqual(CredentialParams.manyFromConfig(ConfigParams.fromTuples('password', 'root')), []);
        assert.isNull(CredentialParams.fromConfig(ConfigParams.fromTuples('password', 'root')));
        assert.strictEqual(CredentialParams.fromConfig(ConfigParams.fromTuples('credential.password', 'p')).getPassword(), 'p');
    });
});

/*
 * Contract edge cases (§2.5) → test:
 * - useCredentialStore / store key → 'store key'
 * - user/pass/client_id/client_key/secret_key fallbacks, setters write primary → 'getters fall back…'
 * - credentials/credential sections, root never read, fromConfig null → 'manyFromConfig / fromConfig…'
 */

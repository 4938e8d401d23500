import { StringValueMap } from 'pip-services4-commons-node';
import { ConfigParams } from 'pip-services4-components-node';

/**
 * Test stand-in for pip-services4-config-node `CredentialParams` (contract §2.5).
 */
export class CredentialParams extends ConfigParams {
    public constructor(values: any = null) {
        super(values);
    }

    public useCredentialStore(): boolean {
        return this.getAsNullableString('store_key') != null;
    }

    public getStoreKey(): string {
        return this.getAsNullableString('store_key');
    }

    public setStoreKey(value: string): void {
        this.put('store_key', value);
    }

    /** `username`, else `user`. */
    public getUsername(): string {
        return this.getAsNullableString('username') || this.getAsNullableString('user');
    }

    public setUsername(value: string): void {
        this.put('username', value);
    }

    /** `password`, else `pass`. */
    public getPassword(): string {
        return this.getAsNullableString('password') || this.getAsNullableString('pass');
    }

    public setPassword(value: string): void {
        this.put('password', value);
    }

    /** `access_id`, else `client_id`. */
    public getAccessId(): string {
        return this.getAsNullableString('access_id') || this.getAsNullableString('client_id');
    }

    public setAccessId(value: string): void {
        this.put('access_id', value);
    }

    /** `access_key`, else `client_key`, else `secret_key`. */
    public getAccessKey(): string {
        return this.getAsNullableString('access_key') || this.getAsNullableString('client_key')
            || this.getAsNullableString('secret_key');
    }

    public setAccessKey(value: string): void {
        this.put('access_key', value);
    }

    public static fromString(line: string): CredentialParams {
        return new CredentialParams(StringValueMap.fromString(line));
    }

    public static fromTuples(...tuples: any[]): CredentialParams {
        return new CredentialParams(StringValueMap.fromTuplesArray(tuples));
    }

    /** Sections `credentials.<name>`, else `credential`, else none. */
    public static manyFromConfig(config: ConfigParams): CredentialParams[] {
        const result: CredentialParams[] = [];
        const credentials = config.getSection('credentials');
        if (credentials.length() > 0) {
            for (const name of credentials.getSectionNames()) {
                result.push(new CredentialParams(credentials.getSection(name)));
            }
        } else {
            const credential = config.getSection('credential');
            if (credential.length() > 0) {
                result.push(new CredentialParams(credential));
            }
        }
        return result;
    }

    /** First of `manyFromConfig`, or null. */
    public static fromConfig(config: ConfigParams): CredentialParams {
        const credentials = CredentialParams.manyFromConfig(config);
        return credentials.length > 0 ? credentials[0] : null as any;
    }
}

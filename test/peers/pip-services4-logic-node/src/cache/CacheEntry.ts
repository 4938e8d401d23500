/**
 * Test stand-in for pip-services4-logic-node `CacheEntry` (contract §3.5).
 */
export class CacheEntry {
    private readonly _key: string;
    private _value: any;
    private _expiration: number;

    public constructor(key: string, value: any, timeout: number) {
        this._key = key;
        this._value = value;
        this._expiration = Date.now() + timeout;
    }

    public getKey(): string {
        return this._key;
    }

    public getValue(): any {
        return this._value;
    }

    /** Epoch milliseconds. */
    public getExpiration(): number {
        return this._expiration;
    }

    /** Replaces the value and resets the expiration. */
    public setValue(value: any, timeout: number): void {
        this._value = value;
        this._expiration = Date.now() + timeout;
    }

    /** Expiration strictly before now. */
    public isExpired(): boolean {
        return this._expiration < Date.now();
    }
}

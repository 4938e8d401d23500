import { IFactory } from './IFactory';
import { CreateException } from './CreateException';

interface Registration {
    locator: any;
    factory: (locator: any) => any;
}

/**
 * Test stand-in for pip-services4-components-node `Factory` (contract §1.6).
 *
 * Registrations are consulted in registration order; `create` with no match returns null.
 */
export class Factory implements IFactory {
    private readonly _registrations: Registration[] = [];

    public register(locator: any, factory: (locator: any) => any): void {
        if (locator == null) {
            throw new Error('Locator cannot be null');
        }
        if (factory == null) {
            throw new Error('Factory cannot be null');
        }
        this._registrations.push({ locator: locator, factory: factory });
    }

    /** Instantiates `type` with `new type()` (no arguments). */
    public registerAsType(locator: any, type: any): void {
        if (locator == null) {
            throw new Error('Locator cannot be null');
        }
        if (type == null) {
            throw new Error('Factory cannot be null');
        }
        this.register(locator, () => new type());
    }

    private matches(registered: any, locator: any): boolean {
        return registered == locator
            || (typeof registered.equals === 'function' && registered.equals(locator));
    }

    /** Returns the registered locator that matches, or null. */
    public canCreate(locator: any): any {
        for (const registration of this._registrations) {
            if (this.matches(registration.locator, locator)) {
                return registration.locator;
            }
        }
        return null;
    }

    /** Runs the first matching factory; errors are wrapped into CreateException. */
    public create(locator: any): any {
        for (const registration of this._registrations) {
            if (this.matches(registration.locator, locator)) {
                try {
                    return registration.factory(locator);
                } catch (ex) {
                    // Never true for a CreateException because of the commons prototype quirk (§0/§1.6).
                    if (ex instanceof CreateException) {
                        throw ex;
                    }
                    throw new CreateException(null, 'Failed to create object for ' + locator).withCause(ex);
                }
            }
        }
        return null;
    }
}

import { IFactory } from './IFactory';
import { CreateException } from './CreateException';

/**
 * Test stand-in for pip-services4-components-node `CompositeFactory` (contract §1.8).
 * Factories are consulted newest-added first.
 */
export class CompositeFactory implements IFactory {
    private _factories: IFactory[] = [];

    public constructor(...factories: IFactory[]) {
        if (factories != null) {
            this._factories = this._factories.concat(factories);
        }
    }

    public add(factory: IFactory): void {
        if (factory == null) {
            throw new Error('Factory cannot be null');
        }
        this._factories.push(factory);
    }

    public remove(factory: IFactory): void {
        this._factories = this._factories.filter((f) => f != factory);
    }

    public canCreate(locator: any): any {
        if (locator == null) {
            throw new Error('Locator cannot be null');
        }
        for (let index = this._factories.length - 1; index >= 0; index--) {
            const thisLocator = this._factories[index].canCreate(locator);
            if (thisLocator != null) {
                return thisLocator;
            }
        }
        return null;
    }

    /** No capable factory → throws CreateException(null, locator). */
    public create(locator: any): any {
        if (locator == null) {
            throw new Error('Locator cannot be null');
        }
        for (let index = this._factories.length - 1; index >= 0; index--) {
            const factory = this._factories[index];
            if (factory.canCreate(locator) != null) {
                return factory.create(locator);
            }
        }
        throw new CreateException(null, locator);
    }
}

import { Descriptor } from './Descriptor';

/**
 * Test stand-in for pip-services4-components-node `Reference` (contract §1.4).
 */
export class Reference {
    private readonly _locator: any;
    private readonly _component: any;

    public constructor(locator: any, component: any) {
        if (component == null) {
            throw new Error('Component cannot be null');
        }
        this._locator = locator;
        this._component = component;
    }

    public match(locator: any): boolean {
        if (this._component == locator) {
            return true;
        }
        if (this._locator instanceof Descriptor) {
            return this._locator.equals(locator);
        }
        if (this._locator != null) {
            return this._locator == locator;
        }
        return false;
    }

    public getComponent(): any {
        return this._component;
    }

    public getLocator(): any {
        return this._locator;
    }
}

import { IReferences } from './IReferences';
import { Reference } from './Reference';
import { ReferenceException } from './ReferenceException';

/**
 * Test stand-in for pip-services4-components-node `References` (contract §1.4).
 * Lookups return matches newest-first.
 */
export class References implements IReferences {
    protected _references: Reference[] = [];

    /** `tuples`: locator/component pairs. */
    public constructor(tuples: any[] | null = null) {
        if (tuples != null) {
            for (let index = 0; index + 1 < tuples.length; index += 2) {
                this.put(tuples[index], tuples[index + 1]);
            }
        }
    }

    /** Appends; duplicates and a null locator are allowed. */
    public put(locator: any, component: any): void {
        this._references.push(new Reference(locator, component));
    }

    /** Removes the newest match and returns its component, or null. */
    public remove(locator: any): any {
        if (locator == null) {
            return null;
        }
        for (let index = this._references.length - 1; index >= 0; index--) {
            const reference = this._references[index];
            if (reference.match(locator)) {
                this._references.splice(index, 1);
                return reference.getComponent();
            }
        }
        return null;
    }

    /** Removes all matches; returns their components newest-first. */
    public removeAll(locator: any): any[] {
        const components: any[] = [];
        if (locator == null) {
            return components;
        }
        for (let index = this._references.length - 1; index >= 0; index--) {
            const reference = this._references[index];
            if (reference.match(locator)) {
                this._references.splice(index, 1);
                components.push(reference.getComponent());
            }
        }
        return components;
    }

    public getAllLocators(): any[] {
        return this._references.map((reference) => reference.getLocator());
    }

    public getAll(): any[] {
        return this._references.map((reference) => reference.getComponent());
    }

    public getOptional<T>(locator: any): T[] {
        try {
            return this.find<T>(locator, false);
        } catch {
            return [];
        }
    }

    public getRequired<T>(locator: any): T[] {
        return this.find<T>(locator, true);
    }

    public getOneOptional<T>(locator: any): T {
        try {
            const components = this.find<T>(locator, false);
            return components.length > 0 ? components[0] : null as any;
        } catch {
            return null as any;
        }
    }

    public getOneRequired<T>(locator: any): T {
        const components = this.find<T>(locator, true);
        return components[0];
    }

    public find<T>(locator: any, required: boolean): T[] {
        if (locator == null) {
            throw new Error('Locator cannot be null');
        }
        const components: T[] = [];
        for (let index = this._references.length - 1; index >= 0; index--) {
            const reference = this._references[index];
            if (reference.match(locator)) {
                components.push(reference.getComponent());
            }
        }
        if (components.length == 0 && required) {
            throw new ReferenceException(null, locator);
        }
        return components;
    }

    public static fromTuples(...tuples: any[]): References {
        return new References(tuples);
    }
}

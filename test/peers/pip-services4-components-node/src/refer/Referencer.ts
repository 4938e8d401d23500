import { IReferences } from './IReferences';

/**
 * Test stand-in for pip-services4-components-node `Referencer` (contract §1.10):
 * duck-typed, sequential in array order.
 */
export class Referencer {
    public static setReferencesForOne(references: IReferences, component: any): void {
        if (typeof component.setReferences === 'function') {
            component.setReferences(references);
        }
    }

    public static setReferences(references: IReferences, components: any[] | null): void {
        if (components == null) {
            return;
        }
        for (const component of components) {
            Referencer.setReferencesForOne(references, component);
        }
    }

    public static unsetReferencesForOne(component: any): void {
        if (typeof component.unsetReferences === 'function') {
            component.unsetReferences();
        }
    }

    public static unsetReferences(components: any[] | null): void {
        if (components == null) {
            return;
        }
        for (const component of components) {
            Referencer.unsetReferencesForOne(component);
        }
    }
}

import { IContext } from '../context/IContext';

/**
 * Test stand-in for pip-services4-components-node `Opener` (contract §1.10):
 * duck-typed, sequential in array order.
 */
export class Opener {
    /** True when the component has no `isOpen`. */
    public static isOpenOne(component: any): boolean {
        if (typeof component.isOpen === 'function') {
            return component.isOpen();
        }
        return true;
    }

    public static isOpen(components: any[] | null): boolean {
        if (components == null) {
            return true;
        }
        let result = true;
        for (const component of components) {
            result = result && Opener.isOpenOne(component);
        }
        return result;
    }

    public static async openOne(context: IContext | null, component: any): Promise<void> {
        if (typeof component.open === 'function') {
            await component.open(context);
        }
    }

    public static async open(context: IContext | null, components: any[] | null): Promise<void> {
        if (components == null) {
            return;
        }
        for (const component of components) {
            await Opener.openOne(context, component);
        }
    }
}

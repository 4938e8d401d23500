import { IContext } from '../context/IContext';

/**
 * Test stand-in for pip-services4-components-node `Cleaner` (contract §1.10):
 * duck-typed, sequential in array order.
 */
export class Cleaner {
    public static async clearOne(context: IContext | null, component: any): Promise<void> {
        if (typeof component.clear === 'function') {
            await component.clear(context);
        }
    }

    public static async clear(context: IContext | null, components: any[] | null): Promise<void> {
        if (components == null) {
            return;
        }
        for (const component of components) {
            await Cleaner.clearOne(context, component);
        }
    }
}

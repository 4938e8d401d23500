import { IContext } from '../context/IContext';

/**
 * Test stand-in for pip-services4-components-node `Closer` (contract §1.10):
 * duck-typed, sequential in array order (not reversed).
 */
export class Closer {
    public static async closeOne(context: IContext | null, component: any): Promise<void> {
        if (typeof component.close === 'function') {
            await component.close(context);
        }
    }

    public static async close(context: IContext | null, components: any[] | null): Promise<void> {
        if (components == null) {
            return;
        }
        for (const component of components) {
            await Closer.closeOne(context, component);
        }
    }
}

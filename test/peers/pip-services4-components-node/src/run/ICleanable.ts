import { IContext } from '../context/IContext';

/**
 * Test stand-in for pip-services4-components-node `ICleanable` (contract §1.2).
 */
export interface ICleanable {
    clear(context: IContext | null): Promise<void>;
}

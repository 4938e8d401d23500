import { IContext } from '../context/IContext';
import { IClosable } from './IClosable';

/**
 * Test stand-in for pip-services4-components-node `IOpenable` (contract §1.2).
 */
export interface IOpenable extends IClosable {
    isOpen(): boolean;
    open(context: IContext | null): Promise<void>;
}

import { IContext } from '../context/IContext';

/**
 * Test stand-in for pip-services4-components-node `IClosable` (contract §1.2).
 */
export interface IClosable {
    close(context: IContext | null): Promise<void>;
}

import { IConfigurable } from './IConfigurable';

/**
 * Test stand-in for pip-services4-components-node `IReconfigurable` (contract §1.2): a marker.
 */
export interface IReconfigurable extends IConfigurable {
}

import { IConfigurable } from './IConfigurable';

/**
 * Test stand-in for pip-services4-components-node `IReconfigurable` (contract §1.2): a marker.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface IReconfigurable extends IConfigurable {
}

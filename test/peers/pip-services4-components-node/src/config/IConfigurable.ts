import { ConfigParams } from './ConfigParams';

/**
 * Test stand-in for pip-services4-components-node `IConfigurable` (contract §1.2).
 */
export interface IConfigurable {
    configure(config: ConfigParams): void;
}

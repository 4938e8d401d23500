import { IReferences } from './IReferences';

/**
 * Test stand-in for pip-services4-components-node `IReferenceable` (contract §1.2).
 */
export interface IReferenceable {
    setReferences(references: IReferences): void;
}

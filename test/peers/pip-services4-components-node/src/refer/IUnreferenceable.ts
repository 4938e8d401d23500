/**
 * Test stand-in for pip-services4-components-node `IUnreferenceable` (contract §1.2).
 */
export interface IUnreferenceable {
    unsetReferences(): void;
}

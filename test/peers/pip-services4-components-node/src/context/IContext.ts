/**
 * Test stand-in for pip-services4-components-node `IContext` (contract §1.2).
 */
export interface IContext {
    get(key: string): any;
}

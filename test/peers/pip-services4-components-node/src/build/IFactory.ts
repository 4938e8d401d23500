/**
 * Test stand-in for pip-services4-components-node `IFactory` (contract §1.2).
 */
export interface IFactory {
    canCreate(locator: any): any;
    create(locator: any): any;
}

/**
 * Test stand-in for pip-services4-components-node 0.0.6
 * (contract /work/shared/reference/pip-services4-contract.md §0–1).
 */
export * from './config';
export * from './refer';
export * from './build';
export * from './context';
export * from './run';

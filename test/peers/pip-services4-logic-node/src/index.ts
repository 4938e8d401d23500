/**
 * Test stand-in for pip-services4-logic-node 0.0.2
 * (contract /work/shared/reference/pip-services4-contract.md §3).
 */
export * from './lock';
export * from './cache';
export * from './build';

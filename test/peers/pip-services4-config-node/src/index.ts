/**
 * Test stand-in for pip-services4-config-node 0.0.6
 * (contract /work/shared/reference/pip-services4-contract.md §2).
 */
export * from './connect';
export * from './auth';

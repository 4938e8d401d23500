/**
 * Test stand-in for pip-services4-logic-node 0.0.2
 * (the toolkit contract, §3: see test/peers/README.md).
 */
export * from './lock';
export * from './cache';
export * from './build';

/**
 * Test stand-in for pip-services4-components-node 0.0.6
 * (the toolkit contract, §0–1: see test/peers/README.md).
 */
export * from './config';
export * from './refer';
export * from './build';
export * from './context';
export * from './run';

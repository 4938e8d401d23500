/**
 * Test stand-in for pip-services4-config-node 0.0.6
 * (the toolkit contract, §2: see test/peers/README.md).
 */
export * from './connect';
export * from './auth';

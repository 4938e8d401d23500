/** @module index */
export * from './build';
export * from './connect';
export * from './lock';

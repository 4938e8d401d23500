/** @module index */
export * from './build';
export * from './cache';
export * from './connect';
export * from './lock';

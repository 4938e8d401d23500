/** @module build */
export { DefaultObservabilityFactory } from './DefaultObservabilityFactory';

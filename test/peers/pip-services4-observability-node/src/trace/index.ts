/** @module trace */
export { ITracer } from './ITracer';
export { TraceTiming } from './TraceTiming';
export { NullTracer } from './NullTracer';
export { LogTracer } from './LogTracer';
export { CompositeTracer } from './CompositeTracer';

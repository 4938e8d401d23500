/** @module count */
export { ICounterTimingCallback } from './ICounterTimingCallback';
export { CounterTiming } from './CounterTiming';
export { ICounters } from './ICounters';
export { CounterType } from './CounterType';
export { Counter } from './Counter';
export { CachedCounters } from './CachedCounters';
export { NullCounters } from './NullCounters';
export { LogCounters } from './LogCounters';
export { CompositeCounters } from './CompositeCounters';

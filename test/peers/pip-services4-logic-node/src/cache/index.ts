export { ICache } from './ICache';
export { CacheEntry } from './CacheEntry';
export { MemoryCache } from './MemoryCache';
export { NullCache } from './NullCache';

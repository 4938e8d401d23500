export { ILock } from './ILock';
export { Lock } from './Lock';
export { MemoryLock } from './MemoryLock';
export { NullLock } from './NullLock';

/** @module log */
export { ILogger } from './ILogger';
export { LogLevel } from './LogLevel';
export { LogLevelConverter } from './LogLevelConverter';
export { Logger } from './Logger';
export { NullLogger } from './NullLogger';
export { ConsoleLogger } from './ConsoleLogger';
export { CompositeLogger } from './CompositeLogger';

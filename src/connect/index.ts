/** @module connect */
export { RedisConnection, RedisCommands } from './RedisConnection';
export { RedisConnectionResolver, RedisEndpoint } from './RedisConnectionResolver';
export { RedisErrors } from './RedisErrors';
export { TraceId } from './TraceId';
export { RedisArguments } from './RedisArguments';

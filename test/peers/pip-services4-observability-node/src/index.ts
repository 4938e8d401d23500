/**
 * Test stand-in for pip-services4-observability-node 0.0.3: the loggers, counters and tracers a
 * pip-services4 component wires through its references (`*:logger:*:*:1.0`, `*:counters:*:*:1.0`,
 * `*:tracer:*:*:1.0`). See test/peers/README.md for what is reproduced and what is left out.
 */
export * from './log';
export * from './count';
export * from './trace';
export * from './build';

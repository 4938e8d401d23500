/** @module count */

/**
 * Test stand-in for pip-services4-observability-node `CounterType`: the kinds of counters.
 */
export enum CounterType {
    /** Time intervals (endTiming): last, count, min, max, average. */
    Interval = 0,
    /** The last value only. */
    LastValue = 1,
    /** Statistics of values (stats): last, count, min, max, average. */
    Statistics = 2,
    /** A time. */
    Timestamp = 3,
    /** A running total (increment). */
    Increment = 4
}

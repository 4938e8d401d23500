/** @module count */
import { CounterTiming } from './CounterTiming';

/**
 * Test stand-in for pip-services4-observability-node `ICounters`: a component that collects
 * performance counters (intervals, statistics, last values, timestamps, increments).
 */
export interface ICounters {
    /**
     * Starts measuring an interval; `endTiming()` on the result records it.
     *
     * @param name  the counter name.
     * @returns the timing.
     */
    beginTiming(name: string): CounterTiming;

    /**
     * Adds a value to a statistics counter (last, count, min, max, average).
     *
     * @param name  the counter name.
     * @param value the value.
     */
    stats(name: string, value: number): void;

    /**
     * Sets a counter's last value.
     *
     * @param name  the counter name.
     * @param value the value.
     */
    last(name: string, value: number): void;

    /**
     * Sets a timestamp counter to now.
     *
     * @param name  the counter name.
     */
    timestampNow(name: string): void;

    /**
     * Sets a timestamp counter.
     *
     * @param name  the counter name.
     * @param value the time.
     */
    timestamp(name: string, value: Date): void;

    /**
     * Adds 1 to an increment counter.
     *
     * @param name  the counter name.
     */
    incrementOne(name: string): void;

    /**
     * Adds a value to an increment counter.
     *
     * @param name  the counter name.
     * @param value how much to add.
     */
    increment(name: string, value: number): void;
}

/** @module count */

/**
 * Test stand-in for pip-services4-observability-node `ICounterTimingCallback`: what a
 * [[CounterTiming]] reports its elapsed time to.
 */
export interface ICounterTimingCallback {
    /**
     * Records the time an interval took.
     *
     * @param name      the counter name.
     * @param elapsed   the elapsed time in ms.
     */
    endTiming(name: string, elapsed: number): void;
}

/** @module count */
import { CounterTiming } from './CounterTiming';
import { ICounters } from './ICounters';

/**
 * Test stand-in for pip-services4-observability-node `NullCounters`: counters that record nothing.
 *
 * Like the real class it has no `endTiming` method: it is not an ICounterTimingCallback. Its
 * `beginTiming` returns a timing without a callback, so ending it does nothing.
 */
export class NullCounters implements ICounters {
    /**
     * Creates counters that record nothing.
     */
    public constructor() {
        // Nothing to set up.
    }

    /** @returns a timing without a callback. */
    public beginTiming(_name: string): CounterTiming {
        return new CounterTiming();
    }

    /** Ignored. */
    public stats(_name: string, _value: number): void {
        // Ignored.
    }

    /** Ignored. */
    public last(_name: string, _value: number): void {
        // Ignored.
    }

    /** Ignored. */
    public timestampNow(_name: string): void {
        // Ignored.
    }

    /** Ignored. */
    public timestamp(_name: string, _value: Date): void {
        // Ignored.
    }

    /** Ignored. */
    public incrementOne(_name: string): void {
        // Ignored.
    }

    /** Ignored. */
    public increment(_name: string, _value: number): void {
        // Ignored.
    }
}

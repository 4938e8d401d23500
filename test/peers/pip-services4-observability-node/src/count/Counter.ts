/** @module count */
import { CounterType } from './CounterType';

/**
 * Test stand-in for pip-services4-observability-node `Counter`: the state of one counter. Fields
 * a counter type does not use stay undefined.
 */
export class Counter {
    /** The counter name. */
    public name: string;
    /** The kind of counter. */
    public type: CounterType;
    /** The last value. */
    public last: number;
    /** How many values (or, for Increment, the total). */
    public count: number;
    /** The smallest value. */
    public min: number;
    /** The largest value. */
    public max: number;
    /** The average value. */
    public average: number;
    /** The time of a Timestamp counter. */
    public time: Date;

    /**
     * Creates an empty counter.
     *
     * @param name  the counter name.
     * @param type  the kind of counter.
     */
    public constructor(name: string, type: CounterType) {
        this.name = name;
        this.type = type;
    }
}

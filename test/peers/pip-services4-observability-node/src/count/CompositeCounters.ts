/** @module count */
import { Descriptor, IReferenceable, IReferences } from 'pip-services4-components-node';

import { CounterTiming } from './CounterTiming';
import { ICounters } from './ICounters';
import { ICounterTimingCallback } from './ICounterTimingCallback';

/**
 * Test stand-in for pip-services4-observability-node `CompositeCounters`: the counters a component
 * keeps, which pass every measurement on to the counters found in its references.
 *
 * What the real class does, and this one too:
 * - It has NO constructor taking references: what looks like one is an ordinary method named
 *   `CompositeCounters`. `new CompositeCounters(references)` ignores its argument; call
 *   [[setReferences]] (or the `CompositeCounters(references)` method).
 * - `setReferences` adds every reference matching `*:counters:*:*:*` (any version) except itself,
 *   without checking what it is and without removing earlier ones (calling it twice counts twice).
 * - `increment` and `incrementOne` throw `Error("Name cannot be null")` for a null or empty name,
 *   even with no counters to pass it to; the other methods pass any name on.
 * - `endTiming` calls `endTiming` on every counter found without checking that it has one:
 *   with a NullCounters among them (it has none), `beginTiming(name).endTiming()` throws a TypeError.
 *
 * ### References ###
 * - `*:counters:*:*:1.0`  (optional) the counters to pass measurements to
 *
 * @example
 * ```typescript
 * class MyComponent implements IReferenceable {
 *     private _counters = new CompositeCounters();
 *     public setReferences(references: IReferences): void { this._counters.setReferences(references); }
 *     public run(): void {
 *         const timing = this._counters.beginTiming("mycomponent.run.exec_time");
 *         try { this._counters.incrementOne("mycomponent.run.calls"); } finally { timing.endTiming(); }
 *     }
 * }
 * ```
 */
export class CompositeCounters implements ICounters, ICounterTimingCallback, IReferenceable {
    protected readonly _counters: ICounters[] = [];

    /**
     * Not a constructor (the real class declares it as a method with this name, so the class has
     * the default constructor): sets references when some are given.
     *
     * @param references    (optional) references to locate the counters.
     */
    public CompositeCounters(references: IReferences = null as any): void {
        if (references != null) this.setReferences(references);
    }

    /**
     * Adds the counters found in the references (see the class description).
     *
     * @param references    references to locate the counters.
     */
    public setReferences(references: IReferences): void {
        const found = references.getOptional<ICounters>(new Descriptor(null, 'counters', null, null, null));
        for (const counters of found) {
             
            if (counters != (this as ICounters)) this._counters.push(counters);
        }
    }

    /**
     * Starts measuring an interval, reported to this object's [[endTiming]].
     *
     * @param name  the counter name.
     * @returns the timing.
     */
    public beginTiming(name: string): CounterTiming {
        return new CounterTiming(name, this);
    }

    /**
     * Passes an elapsed time to every counter found (each must have `endTiming`).
     *
     * @param name      the counter name.
     * @param elapsed   the elapsed time in ms.
     */
    public endTiming(name: string, elapsed: number): void {
        for (const counters of this._counters) {
            (counters as unknown as ICounterTimingCallback).endTiming(name, elapsed);
        }
    }

    /**
     * Passes a value to every counter found.
     *
     * @param name  the counter name.
     * @param value the value.
     */
    public stats(name: string, value: number): void {
        for (const counters of this._counters) counters.stats(name, value);
    }

    /**
     * Passes a last value to every counter found.
     *
     * @param name  the counter name.
     * @param value the value.
     */
    public last(name: string, value: number): void {
        for (const counters of this._counters) counters.last(name, value);
    }

    /**
     * Passes the current time to every counter found.
     *
     * @param name  the counter name.
     */
    public timestampNow(name: string): void {
        this.timestamp(name, new Date());
    }

    /**
     * Passes a time to every counter found.
     *
     * @param name  the counter name.
     * @param value the time.
     */
    public timestamp(name: string, value: Date): void {
        for (const counters of this._counters) counters.timestamp(name, value);
    }

    /**
     * Adds 1 in every counter found.
     *
     * @param name  the counter name; null or empty throws.
     */
    public incrementOne(name: string): void {
        this.increment(name, 1);
    }

    /**
     * Adds a value in every counter found.
     *
     * @param name  the counter name; null or empty throws `Error("Name cannot be null")`.
     * @param value how much to add.
     */
    public increment(name: string, value: number): void {
        if (name == null || name == '') throw new Error('Name cannot be null');
        for (const counters of this._counters) counters.increment(name, value);
    }
}

/** @module count */
import { ConfigParams, IReconfigurable } from 'pip-services4-components-node';

import { Counter } from './Counter';
import { CounterTiming } from './CounterTiming';
import { CounterType } from './CounterType';
import { ICounters } from './ICounters';
import { ICounterTimingCallback } from './ICounterTimingCallback';

/**
 * Test stand-in for pip-services4-observability-node `CachedCounters`: the base of counters that
 * keep their values in memory and hand them to [[save]] at most once per interval.
 *
 * What the real class does, and this one too:
 * - A counter is found by name AND type: recording a name under another type (e.g. `stats` after
 *   `endTiming`) replaces the counter with a fresh one of the new type.
 * - A null or empty name throws `Error("Name cannot be null")` from every recording method.
 * - Nothing is saved on a timer: a recording that comes more than `interval` ms after the last
 *   save calls [[dump]], which saves every counter (also those unchanged since).
 * - With `reset_timeout` > 0, the counters are dropped when more than that many ms passed since
 *   the last reset, checked when they are read.
 * - Times come from the wall clock (`new Date().getTime()`).
 *
 * ### Configuration parameters ###
 * - interval, options.interval:           ms between saves (default: 300000)
 * - reset_timeout, options.reset_timeout: ms after which counters are dropped (default: 0, never)
 */
export abstract class CachedCounters implements ICounters, IReconfigurable, ICounterTimingCallback {
    protected _interval = 300000;
    protected _resetTimeout = 0;
    protected _cache: { [name: string]: Counter } = {};
    protected _updated: boolean;
    protected _lastDumpTime: number = new Date().getTime();
    protected _lastResetTime: number = new Date().getTime();

    /**
     * Creates empty counters.
     */
    public constructor() {
        // Nothing to set up.
    }

    /**
     * Configures the counters.
     *
     * @param config    configuration parameters: `interval` and `reset_timeout`, at the root or under `options`.
     */
    public configure(config: ConfigParams): void {
        this._interval = config.getAsLongWithDefault('interval', this._interval);
        this._interval = config.getAsLongWithDefault('options.interval', this._interval);
        this._resetTimeout = config.getAsLongWithDefault('reset_timeout', this._resetTimeout);
        this._resetTimeout = config.getAsLongWithDefault('options.reset_timeout', this._resetTimeout);
    }

    /**
     * Gets the time between saves.
     *
     * @returns the interval in ms.
     */
    public getInterval(): number {
        return this._interval;
    }

    /**
     * Sets the time between saves.
     *
     * @param value the interval in ms.
     */
    public setInterval(value: number): void {
        this._interval = value;
    }

    /**
     * Saves counters to where the subclass keeps them.
     *
     * @param counters  every counter.
     */
    protected abstract save(counters: Counter[]): void;

    /**
     * Drops one counter.
     *
     * @param name  the counter name.
     */
    public clear(name: string): void {
        delete this._cache[name];
    }

    /**
     * Drops every counter.
     */
    public clearAll(): void {
        this._cache = {};
        this._updated = false;
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
     * Saves every counter now, when something was recorded since the last save.
     */
    public dump(): void {
        if (!this._updated) return;
        this.save(this.getAll());
        this._updated = false;
        this._lastDumpTime = new Date().getTime();
    }

    /**
     * Marks the counters changed and saves them when the interval has passed; a failing save is ignored.
     */
    protected update(): void {
        this._updated = true;
        if (new Date().getTime() > this._lastDumpTime + this.getInterval()) {
            try {
                this.dump();
            } catch {
                // As the real class: a failed save is dropped.
            }
        }
    }

    private resetIfNeeded(): void {
        if (this._resetTimeout == 0) return;
        const now = new Date().getTime();
        if (now - this._lastResetTime > this._resetTimeout) {
            this._cache = {};
            this._updated = false;
            this._lastResetTime = now;
        }
    }

    /**
     * Gets every counter.
     *
     * @returns the counters, in the order they were created.
     */
    public getAll(): Counter[] {
        this.resetIfNeeded();
        return Object.keys(this._cache).map(name => this._cache[name]);
    }

    /**
     * Gets a counter by name and type, creating it (or replacing one of another type).
     *
     * @param name  the counter name; null or empty throws `Error("Name cannot be null")`.
     * @param type  the counter type.
     * @returns the counter.
     */
    public get(name: string, type: CounterType): Counter {
        if (name == null || name == '') throw new Error('Name cannot be null');
        this.resetIfNeeded();
        let counter = this._cache[name];
        if (counter == null || counter.type != type) {
            counter = new Counter(name, type);
            this._cache[name] = counter;
        }
        return counter;
    }

    private calculateStats(counter: Counter, value: number): void {
        counter.last = value;
        counter.count = counter.count != null ? counter.count + 1 : 1;
        counter.max = counter.max != null ? Math.max(counter.max, value) : value;
        counter.min = counter.min != null ? Math.min(counter.min, value) : value;
        counter.average = counter.average != null && counter.count > 1
            ? (counter.average * (counter.count - 1) + value) / counter.count : value;
    }

    /**
     * Records an elapsed time in an Interval counter.
     *
     * @param name      the counter name.
     * @param elapsed   the elapsed time in ms.
     */
    public endTiming(name: string, elapsed: number): void {
        this.calculateStats(this.get(name, CounterType.Interval), elapsed);
        this.update();
    }

    /**
     * Records a value in a Statistics counter.
     *
     * @param name  the counter name.
     * @param value the value.
     */
    public stats(name: string, value: number): void {
        this.calculateStats(this.get(name, CounterType.Statistics), value);
        this.update();
    }

    /**
     * Records the last value in a LastValue counter.
     *
     * @param name  the counter name.
     * @param value the value.
     */
    public last(name: string, value: number): void {
        this.get(name, CounterType.LastValue).last = value;
        this.update();
    }

    /**
     * Records the current time in a Timestamp counter.
     *
     * @param name  the counter name.
     */
    public timestampNow(name: string): void {
        this.timestamp(name, new Date());
    }

    /**
     * Records a time in a Timestamp counter.
     *
     * @param name  the counter name.
     * @param value the time.
     */
    public timestamp(name: string, value: Date): void {
        this.get(name, CounterType.Timestamp).time = value;
        this.update();
    }

    /**
     * Adds 1 to an Increment counter.
     *
     * @param name  the counter name.
     */
    public incrementOne(name: string): void {
        this.increment(name, 1);
    }

    /**
     * Adds a value to an Increment counter (its total is kept in `count`).
     *
     * @param name  the counter name.
     * @param value how much to add.
     */
    public increment(name: string, value: number): void {
        const counter = this.get(name, CounterType.Increment);
        counter.count = counter.count ? counter.count + value : value;
        this.update();
    }
}

/** @module count */
import { ICounterTimingCallback } from './ICounterTimingCallback';

/**
 * Test stand-in for pip-services4-observability-node `CounterTiming`: measures one interval from
 * its creation to [[endTiming]] on the wall clock (`new Date().getTime()`, whole ms, so a wall
 * clock step changes the result) and reports it to its callback. Without a callback it measures
 * nothing worth reporting and `endTiming` does nothing.
 */
export class CounterTiming {
    private _start: number;
    private _callback: ICounterTimingCallback;
    private _counter: string;

    /**
     * Starts measuring.
     *
     * @param counter   (optional) the counter name passed to the callback.
     * @param callback  (optional) where to report the elapsed time.
     */
    public constructor(counter: string = null as any, callback: ICounterTimingCallback = null as any) {
        this._counter = counter;
        this._callback = callback;
        this._start = new Date().getTime();
    }

    /**
     * Stops measuring and reports the elapsed ms to the callback, when there is one. Calling it
     * again reports again, from the same start.
     */
    public endTiming(): void {
        if (this._callback == null) return;
        this._callback.endTiming(this._counter, new Date().getTime() - this._start);
    }
}

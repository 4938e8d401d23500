/** @module count */
import { StringConverter } from 'pip-services4-commons-node';
import { IReferenceable, IReferences } from 'pip-services4-components-node';

import { CompositeLogger } from '../log/CompositeLogger';
import { CachedCounters } from './CachedCounters';
import { Counter } from './Counter';

/**
 * Test stand-in for pip-services4-observability-node `LogCounters`: cached counters saved as Info
 * messages (no context) to the loggers in its references, one message per counter, sorted by name:
 * `Counter <name> { "type": <n>, "last": ..., "count": ..., "min": ..., "max": ..., "avg": ..., "time": ... }`
 * with only the fields the counter has.
 *
 * ### References ###
 * - `*:logger:*:*:1.0`    (optional) the loggers to write the counters to
 */
export class LogCounters extends CachedCounters implements IReferenceable {
    private readonly _logger = new CompositeLogger();

    /**
     * Creates counters that log themselves.
     */
    public constructor() {
        super();
    }

    /**
     * Finds the loggers to write to.
     *
     * @param references    references to locate the loggers.
     */
    public setReferences(references: IReferences): void {
        this._logger.setReferences(references);
    }

    /**
     * Logs every counter, sorted by name.
     *
     * @param counters  the counters.
     */
    protected save(counters: Counter[]): void {
        if (counters == null || counters.length == 0) return;
        const sorted = [...counters].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
        for (const counter of sorted) this._logger.info(null as any, LogCounters.describe(counter));
    }

    private static describe(counter: Counter): string {
        const fields: [string, any][] = [['last', counter.last], ['count', counter.count], ['min', counter.min],
            ['max', counter.max], ['avg', counter.average], ['time', counter.time]];
        let text = 'Counter ' + counter.name + ' { "type": ' + counter.type;
        for (const [label, value] of fields) {
            if (value != null) text += ', "' + label + '": ' + StringConverter.toString(value);
        }
        return text + ' }';
    }
}

import { AnyValueMap } from 'pip-services4-commons-node';

import { ConfigParams } from '../config/ConfigParams';
import { IContext } from './IContext';

/**
 * Test stand-in for pip-services4-components-node `Context` (contract §1.9):
 * values copied into an AnyValueMap, no dotted navigation.
 */
export class Context implements IContext {
    private readonly _values: AnyValueMap;

    public constructor(values: any = null) {
        this._values = new AnyValueMap(values);
    }

    public get(key: string): any {
        return this._values.get(key);
    }

    public static fromValue(value: any): Context {
        return new Context(value);
    }

    public static fromTuples(...tuples: any[]): Context {
        return new Context(AnyValueMap.fromTuplesArray(tuples));
    }

    public static fromConfig(config: ConfigParams | null): Context {
        if (config == null) {
            return new Context();
        }
        return new Context(config);
    }

    public static fromTraceId(traceId: string | null): Context {
        return new Context({ trace_id: traceId });
    }
}

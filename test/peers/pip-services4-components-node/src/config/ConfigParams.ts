import { StringValueMap, RecursiveObjectReader } from 'pip-services4-commons-node';

/**
 * Test stand-in for pip-services4-components-node `ConfigParams` (contract §1.1).
 *
 * A flat, case-sensitive string map with dotted keys; only `getSection` is structural.
 */
export class ConfigParams extends StringValueMap {
    /** Copies own properties of `values`, stringifying them (no flattening). */
    public constructor(values: any = null) {
        super(values);
    }

    /** Text before the first dot of each key (whole key if none or at index 0); unique, first-seen order. */
    public getSectionNames(): string[] {
        const result: string[] = [];
        for (const key of this.getKeys()) {
            const pos = key.indexOf('.');
            const name = pos > 0 ? key.substring(0, pos) : key;
            if (result.indexOf(name) < 0) {
                result.push(name);
            }
        }
        return result;
    }

    /** Entries whose key starts with `section + "."`, with that prefix stripped. */
    public getSection(section: string): ConfigParams {
        const result = new ConfigParams();
        const prefix = section + '.';
        for (const key of this.getKeys()) {
            if (key.startsWith(prefix)) {
                result.put(key.substring(prefix.length), (this as any)[key]);
            }
        }
        return result;
    }

    /** Adds `sectionParams` under `section.` keys. */
    public addSection(section: string, sectionParams: ConfigParams | null): void {
        if (section == null) {
            throw new Error('Section name cannot be null');
        }
        if (sectionParams == null) {
            return;
        }
        for (const key of sectionParams.getKeys()) {
            let name = key;
            if (name.length > 0 && section.length > 0) {
                name = section + '.' + name;
            } else if (name.length == 0) {
                name = section;
            }
            this.put(name, (sectionParams as any)[key]);
        }
    }

    /** New object; values from `configParams` win. */
    public override(configParams: ConfigParams | null): ConfigParams {
        return new ConfigParams(StringValueMap.fromMaps(this, configParams));
    }

    /** New object; values from `this` win. */
    public setDefaults(defaultConfigParams: ConfigParams | null): ConfigParams {
        return new ConfigParams(StringValueMap.fromMaps(defaultConfigParams, this));
    }

    /** Flattens nested objects/arrays into dotted keys; null or non-object → empty. */
    public static fromValue(value: any): ConfigParams {
        if (value == null || typeof value !== 'object') {
            return new ConfigParams();
        }
        return new ConfigParams(RecursiveObjectReader.getProperties(value));
    }

    public static fromTuples(...tuples: any[]): ConfigParams {
        return new ConfigParams(StringValueMap.fromTuplesArray(tuples));
    }

    public static fromString(line: string): ConfigParams {
        return new ConfigParams(StringValueMap.fromString(line));
    }

    /** Later configs win. */
    public static mergeConfigs(...configs: ConfigParams[]): ConfigParams {
        return new ConfigParams(StringValueMap.fromMaps(...configs));
    }
}

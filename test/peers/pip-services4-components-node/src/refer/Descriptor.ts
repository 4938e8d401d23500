import { ConfigException } from 'pip-services4-commons-node';

/**
 * Test stand-in for pip-services4-components-node `Descriptor` (contract §1.3).
 *
 * `"*"` fields are stored as null (wildcards). `equals` compares `constructor.name`,
 * not `instanceof`.
 */
export class Descriptor {
    private _group: string | null;
    private _type: string | null;
    private _kind: string | null;
    private _name: string | null;
    private _version: string | null;

    public constructor(group: string | null, type: string | null, kind: string | null,
        name: string | null, version: string | null) {
        this._group = group == '*' ? null : group;
        this._type = type == '*' ? null : type;
        this._kind = kind == '*' ? null : kind;
        this._name = name == '*' ? null : name;
        this._version = version == '*' ? null : version;
    }

    public getGroup(): string { return this._group as string; }
    public getType(): string { return this._type as string; }
    public getKind(): string { return this._kind as string; }
    public getName(): string { return this._name as string; }
    public getVersion(): string { return this._version as string; }

    private static matchField(field1: string | null, field2: string | null): boolean {
        return field1 == null || field2 == null || field1 == field2;
    }

    /** Wildcards (null) match in both directions. A null argument throws TypeError. */
    public match(descriptor: Descriptor): boolean {
        return Descriptor.matchField(this._group, descriptor.getGroup())
            && Descriptor.matchField(this._type, descriptor.getType())
            && Descriptor.matchField(this._kind, descriptor.getKind())
            && Descriptor.matchField(this._name, descriptor.getName())
            && Descriptor.matchField(this._version, descriptor.getVersion());
    }

    private static exactMatchField(field1: string | null, field2: string | null): boolean {
        if (field1 == null && field2 == null) {
            return true;
        }
        if (field1 == null || field2 == null) {
            return false;
        }
        return field1 == field2;
    }

    public exactMatch(descriptor: Descriptor): boolean {
        return Descriptor.exactMatchField(this._group, descriptor.getGroup())
            && Descriptor.exactMatchField(this._type, descriptor.getType())
            && Descriptor.exactMatchField(this._kind, descriptor.getKind())
            && Descriptor.exactMatchField(this._name, descriptor.getName())
            && Descriptor.exactMatchField(this._version, descriptor.getVersion());
    }

    public isComplete(): boolean {
        return this._group != null && this._type != null && this._kind != null
            && this._name != null && this._version != null;
    }

    /** `match(value)` only for objects whose `constructor.name` is "Descriptor"; null throws TypeError. */
    public equals(value: any): boolean {
        if (typeof value === 'object' && value.constructor.name === 'Descriptor') {
            return this.match(value);
        }
        return false;
    }

    /** `g:t:k:n:v`, null/empty fields shown as `*`. */
    public toString(): string {
        return (this._group || '*')
            + ':' + (this._type || '*')
            + ':' + (this._kind || '*')
            + ':' + (this._name || '*')
            + ':' + (this._version || '*');
    }

    /** null/"" → null; not exactly 5 tokens → ConfigException BAD_DESCRIPTOR. */
    public static fromString(value: string | null): Descriptor {
        if (value == null || value.length == 0) {
            return null as any;
        }
        const tokens = value.split(':');
        if (tokens.length != 5) {
            throw new ConfigException(null as any, 'BAD_DESCRIPTOR', 'Descriptor ' + value + ' is in wrong format')
                .withDetails('descriptor', value);
        }
        return new Descriptor(tokens[0].trim(), tokens[1].trim(), tokens[2].trim(),
            tokens[3].trim(), tokens[4].trim());
    }
}

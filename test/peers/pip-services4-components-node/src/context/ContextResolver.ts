import { StringConverter } from 'pip-services4-commons-node';

import { IContext } from './IContext';

/**
 * Test stand-in for pip-services4-components-node `ContextResolver` (contract §1.9).
 * Every method returns null for a null context.
 */
export class ContextResolver {
    /** `trace_id`, or `traceId` when the former is falsy, stringified. */
    public static getTraceId(context: IContext | null): string {
        if (context == null) {
            return null as any;
        }
        const traceId = context.get('trace_id') || context.get('traceId');
        return StringConverter.toNullableString(traceId);
    }

    /** `client`, stringified. */
    public static getClient(context: IContext | null): string {
        if (context == null) {
            return null as any;
        }
        return StringConverter.toNullableString(context.get('client'));
    }

    /** Raw `user` value. */
    public static getUser(context: IContext | null): any {
        if (context == null) {
            return null;
        }
        return context.get('user');
    }
}

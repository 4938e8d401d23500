/** @module connect */
import { Context, ContextResolver, IContext } from 'pip-services4-components-node';

/**
 * Reads trace ids from the contexts callers pass. Besides an IContext it accepts a plain string,
 * read as a trace id, so the seed's `lock.open("123")` traces as "123" instead of failing.
 */
export class TraceId {
    /**
     * Gets the trace id of a context.
     *
     * @param context   an IContext, a string trace id, or null.
     * @returns the trace id, or null when there is none.
     */
    public static of(context: IContext | string | null | undefined): string {
        if (context == null) return null as any;
        if (typeof context === 'string') return context;
        if (typeof (context as any).get !== 'function') return null as any;
        return ContextResolver.getTraceId(context);
    }

    /**
     * Turns whatever the caller passed as a context into an IContext, for the toolkit (resolvers,
     * loggers, tracers), which reads it with `context.get`.
     *
     * @param context   an IContext, a string trace id, or anything else.
     * @returns an IContext; null for null and for anything that is not a context (as [[of]] reads it).
     */
    public static toContext(context: IContext | string | null | undefined): IContext {
        if (typeof context === 'string') return Context.fromTraceId(context);
        if (context != null && typeof (context as any).get === 'function') return context;
        return null as any;
    }
}

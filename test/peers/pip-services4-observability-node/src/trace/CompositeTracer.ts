/** @module trace */
import { Descriptor, IContext, IReferenceable, IReferences } from 'pip-services4-components-node';

import { ITracer } from './ITracer';
import { TraceTiming } from './TraceTiming';

/**
 * Test stand-in for pip-services4-observability-node `CompositeTracer`: the tracer a component
 * keeps, which passes every trace on to the tracers found in its references.
 *
 * What the real class does, and this one too:
 * - Its constructor takes references and does call [[setReferences]] (unlike CompositeCounters).
 * - `setReferences` adds every reference matching `*:tracer:*:*:*` (any version) except itself,
 *   without removing earlier ones.
 * - `beginTrace` returns a [[TraceTiming]] that reports back to this tracer.
 *
 * ### References ###
 * - `*:tracer:*:*:1.0`    (optional) the tracers to pass traces to
 */
export class CompositeTracer implements ITracer, IReferenceable {
    protected readonly _tracers: ITracer[] = [];

    /**
     * Creates a composite tracer.
     *
     * @param references    (optional) references to find the tracers in at once.
     */
    public constructor(references: IReferences = null as any) {
        if (references != null) this.setReferences(references);
    }

    /**
     * Adds the tracers found in the references (see the class description).
     *
     * @param references    references to locate the tracers.
     */
    public setReferences(references: IReferences): void {
        const found = references.getOptional<ITracer>(new Descriptor(null, 'tracer', null, null, null));
        for (const tracer of found) {
             
            if (tracer != (this as ITracer)) this._tracers.push(tracer);
        }
    }

    /**
     * Passes a successful operation to every tracer found.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param duration  how long it took, in ms.
     */
    public trace(context: IContext, component: string, operation: string, duration: number): void {
        for (const tracer of this._tracers) tracer.trace(context, component, operation, duration);
    }

    /**
     * Passes a failed operation to every tracer found.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param error     the error it failed with.
     * @param duration  how long it took, in ms.
     */
    public failure(context: IContext, component: string, operation: string, error: Error, duration: number): void {
        for (const tracer of this._tracers) tracer.failure(context, component, operation, error, duration);
    }

    /**
     * Starts timing an operation, reported to this tracer.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that runs it.
     * @param operation the operation.
     * @returns the timing.
     */
    public beginTrace(context: IContext, component: string, operation: string): TraceTiming {
        return new TraceTiming(context, component, operation, this);
    }
}

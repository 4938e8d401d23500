/** @module trace */
import { IContext } from 'pip-services4-components-node';

import { TraceTiming } from './TraceTiming';

/**
 * Test stand-in for pip-services4-observability-node `ITracer`: a component that records how long
 * operations took and whether they failed.
 */
export interface ITracer {
    /**
     * Records an operation that succeeded.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param duration  how long it took, in ms.
     */
    trace(context: IContext, component: string, operation: string, duration: number): void;

    /**
     * Records an operation that failed.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param error     the error it failed with.
     * @param duration  how long it took, in ms.
     */
    failure(context: IContext, component: string, operation: string, error: Error, duration: number): void;

    /**
     * Starts timing an operation; `endTrace()` or `endFailure(error)` on the result records it.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that runs it.
     * @param operation the operation.
     * @returns the timing.
     */
    beginTrace(context: IContext, component: string, operation: string): TraceTiming;
}

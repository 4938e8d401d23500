/** @module trace */
import { IContext } from 'pip-services4-components-node';

import { ITracer } from './ITracer';

/**
 * Test stand-in for pip-services4-observability-node `TraceTiming`: times one operation from its
 * creation on the wall clock (`new Date().getTime()`, whole ms) and reports it to its tracer as a
 * success ([[endTrace]]) or a failure ([[endFailure]]). Without a tracer both do nothing.
 */
export class TraceTiming {
    private _start: number;
    private _tracer: ITracer;
    private _context: IContext;
    private _component: string;
    private _operation: string;

    /**
     * Starts timing.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that runs the operation.
     * @param operation the operation.
     * @param tracer    (optional) where to report.
     */
    public constructor(context: IContext, component: string, operation: string, tracer: ITracer = null as any) {
        this._context = context;
        this._component = component;
        this._operation = operation;
        this._tracer = tracer;
        this._start = new Date().getTime();
    }

    /**
     * Reports the operation as a success, with the ms since the start. Calling it again reports again.
     */
    public endTrace(): void {
        if (this._tracer == null) return;
        this._tracer.trace(this._context, this._component, this._operation, new Date().getTime() - this._start);
    }

    /**
     * Reports the operation as a failure, with the ms since the start.
     *
     * @param error the error it failed with.
     */
    public endFailure(error: Error): void {
        if (this._tracer == null) return;
        this._tracer.failure(this._context, this._component, this._operation, error, new Date().getTime() - this._start);
    }
}

/** @module trace */
import { IContext } from 'pip-services4-components-node';

import { ITracer } from './ITracer';
import { TraceTiming } from './TraceTiming';

/**
 * Test stand-in for pip-services4-observability-node `NullTracer`: a tracer that records nothing.
 * Like the real class it has a method named `NullTracer` (not a constructor; it does nothing), and
 * its `beginTrace` returns a timing that reports back to it.
 */
export class NullTracer implements ITracer {
    /** Not a constructor (as in the real class): does nothing. */
    public NullTracer(): void {
        // Nothing.
    }

    /** Ignored. */
    public trace(context: IContext, _component: string, _operation: string, _duration: number): void {
        // Ignored.
    }

    /** Ignored. */
    public failure(context: IContext, _component: string, _operation: string, _error: Error, _duration: number): void {
        // Ignored.
    }

    /** @returns a timing that reports to this tracer. */
    public beginTrace(context: IContext, component: string, operation: string): TraceTiming {
        return new TraceTiming(context, component, operation, this);
    }
}

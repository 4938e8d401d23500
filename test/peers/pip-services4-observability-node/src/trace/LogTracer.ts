/** @module trace */
import {
    ConfigParams,
    IConfigurable,
    IContext,
    IReferenceable,
    IReferences
} from 'pip-services4-components-node';

import { CompositeLogger } from '../log/CompositeLogger';
import { LogLevel } from '../log/LogLevel';
import { LogLevelConverter } from '../log/LogLevelConverter';
import { ITracer } from './ITracer';
import { TraceTiming } from './TraceTiming';

/**
 * Test stand-in for pip-services4-observability-node `LogTracer`: writes traces to the loggers in
 * its references. A success is `Executed <component>[.<operation>][ in <ms> msec]` at the
 * configured level (Debug by default); a failure is `Failed to execute ...` at Error, with the
 * error. The duration is left out when it is 0.
 *
 * ### Configuration parameters ###
 * - options.log_level:    the level of successful traces (default: Debug; note that a configuration
 *                         without it sets Info, as the converter gives Info for a missing value)
 *
 * ### References ###
 * - `*:logger:*:*:1.0`    (optional) the loggers to write traces to
 */
export class LogTracer implements IConfigurable, IReferenceable, ITracer {
    private readonly _logger = new CompositeLogger();
    private _logLevel: LogLevel = LogLevel.Debug;

    /**
     * Creates a tracer that logs.
     */
    public constructor() {
        // Nothing to set up.
    }

    /**
     * Configures the tracer.
     *
     * @param config    configuration parameters: `options.log_level`.
     */
    public configure(config: ConfigParams): void {
        this._logLevel = LogLevelConverter.toLogLevel(config.getAsObject('options.log_level'), this._logLevel);
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
     * Logs a successful operation.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param duration  how long it took, in ms.
     */
    public trace(context: IContext, component: string, operation: string, duration: number): void {
        this.logTrace(context, component, operation, null, duration);
    }

    /**
     * Logs a failed operation at Error.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param component the component that ran it.
     * @param operation the operation.
     * @param error     the error it failed with.
     * @param duration  how long it took, in ms.
     */
    public failure(context: IContext, component: string, operation: string, error: Error, duration: number): void {
        this.logTrace(context, component, operation, error, duration);
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

    private logTrace(context: IContext, component: string, operation: string, error: Error | null, duration: number): void {
        let text = (error != null ? 'Failed to execute ' : 'Executed ') + component;
        if (operation != null && operation != '') text += '.' + operation;
        if (duration > 0) text += ' in ' + duration + ' msec';
        if (error != null) this._logger.error(context, error, text);
        else this._logger.log(this._logLevel, context, null as any, text);
    }
}

/** @module log */
import { Descriptor, IContext, IReferenceable, IReferences } from 'pip-services4-components-node';

import { ILogger } from './ILogger';
import { Logger } from './Logger';
import { LogLevel } from './LogLevel';

/**
 * Test stand-in for pip-services4-observability-node `CompositeLogger`: the logger a component
 * keeps, which passes every message on to the loggers found in its references.
 *
 * What the real class does, and this one too:
 * - `setReferences` adds every reference matching `*:logger:*:*:*` (any version) that has a `log`
 *   function; it does not leave itself out (a CompositeLogger registered as a logger in the same
 *   references then calls itself until the stack overflows) and does not remove earlier ones, so
 *   calling it twice delivers each message twice.
 * - Its own level filters nothing: every message goes on, as `log(level, context, error,
 *   message)` with the message already formatted (`util.format`, only when args were given).
 *   Each destination applies its own level.
 *
 * ### References ###
 * - `*:logger:*:*:1.0`    (optional) the loggers to pass messages to
 *
 * @example
 * ```typescript
 * class MyComponent implements IReferenceable {
 *     private _logger = new CompositeLogger();
 *     public setReferences(references: IReferences): void { this._logger.setReferences(references); }
 *     public run(ctx: IContext): void { this._logger.info(ctx, "Running %s", "job 1"); }
 * }
 * ```
 */
export class CompositeLogger extends Logger implements IReferenceable {
    private readonly _loggers: ILogger[] = [];

    /**
     * Creates a composite logger.
     *
     * @param references    (optional) references to find the loggers in at once.
     */
    public constructor(references: IReferences = null as any) {
        super();
        if (references) this.setReferences(references);
    }

    /**
     * Adds the loggers found in the references (see the class description).
     *
     * @param references    references to locate the loggers.
     */
    public setReferences(references: IReferences): void {
        super.setReferences(references);
        const found = references.getOptional<any>(new Descriptor(null, 'logger', null, null, null));
        for (const logger of found) {
            if (typeof logger.log === 'function') this._loggers.push(logger);
        }
    }

    /**
     * Passes a formatted message on to every logger found.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the formatted message.
     */
    protected write(level: LogLevel, context: IContext, error: Error, message: string): void {
        for (const logger of this._loggers) logger.log(level, context, error, message);
    }
}

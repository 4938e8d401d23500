/** @module log */
import { StringConverter } from 'pip-services4-commons-node';
import { ContextResolver, IContext } from 'pip-services4-components-node';

import { Logger } from './Logger';
import { LogLevel } from './LogLevel';
import { LogLevelConverter } from './LogLevelConverter';

/**
 * Test stand-in for pip-services4-observability-node `ConsoleLogger`: writes messages at its level
 * and below to the console, as `[<trace id or --->:<LEVEL>:<time>] <message>`, followed by
 * `: <error>` (or `Error: <error>` for an empty message) with the error's message, cause and stack.
 * Fatal, Error and Warn go to `console.error`, the others to `console.log`.
 *
 * ### Configuration parameters ###
 * - level:     the highest level written (default: Info)
 * - source:    the name of the source of the messages (not written)
 */
export class ConsoleLogger extends Logger {
    /**
     * Creates a console logger at level Info.
     */
    public constructor() {
        super();
    }

    /**
     * Writes a message to the console when its level is at most the logger's.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the formatted message.
     */
    protected write(level: LogLevel, context: IContext, error: Error, message: string): void {
        if (this.getLevel() < level) return;
        const traceId = context != null ? ContextResolver.getTraceId(context) : '---';
        let line = '[' + traceId + ':' + LogLevelConverter.toString(level) + ':'
            + StringConverter.toString(new Date()) + '] ' + message;
        if (error != null) line += (message.length == 0 ? 'Error: ' : ': ') + this.composeError(error);
        if (level == LogLevel.Fatal || level == LogLevel.Error || level == LogLevel.Warn) console.error(line);
        else console.log(line);
    }
}

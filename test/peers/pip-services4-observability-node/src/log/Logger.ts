/** @module log */
import { format } from 'util';
import {
    ConfigParams,
    Descriptor,
    IContext,
    IReconfigurable,
    IReferenceable,
    IReferences
} from 'pip-services4-components-node';

import { ILogger } from './ILogger';
import { LogLevel } from './LogLevel';
import { LogLevelConverter } from './LogLevelConverter';

/**
 * Test stand-in for pip-services4-observability-node `Logger`: the base of loggers. It formats
 * messages and hands them to [[write]], which subclasses implement.
 *
 * What the real base class does, and this one too:
 * - No filtering by level happens here: every message reaches `write`, whatever the level.
 *   Subclasses that want filtering (ConsoleLogger) compare in `write`.
 * - A message is passed through `util.format` only when arguments are given, so a message
 *   holding `%` but no arguments arrives unchanged; a null message becomes "".
 * - `configure` reads `level` and `source`; a configuration WITHOUT `level` sets the level back to
 *   Info (the converter gives Info for a missing value, not the current level).
 *
 * ### Configuration parameters ###
 * - level:     the highest level kept (default: Info)
 * - source:    the name of the source of the messages
 *
 * ### References ###
 * - `*:context-info:*:*:1.0`  (optional) its `name` becomes the source when none is configured
 */
export abstract class Logger implements ILogger, IReconfigurable, IReferenceable {
    protected _level: LogLevel = LogLevel.Info;
    protected _source: string = null as any;

    /**
     * Creates a logger at level Info.
     */
    protected constructor() {
        // Nothing to set up.
    }

    /**
     * Configures the logger.
     *
     * @param config    configuration parameters: `level` and `source`.
     */
    public configure(config: ConfigParams): void {
        this._level = LogLevelConverter.toLogLevel(config.getAsObject('level'), this._level);
        this._source = config.getAsStringWithDefault('source', this._source);
    }

    /**
     * Takes the source name from the context info, when no source is configured.
     *
     * @param references    references to locate the context info.
     */
    public setReferences(references: IReferences): void {
        const contextInfo = references.getOneOptional<any>(
            new Descriptor('pip-services', 'context-info', '*', '*', '1.0'));
        if (contextInfo != null && this._source == null) {
            this._source = contextInfo.name;
        }
    }

    /**
     * Gets the highest level of messages this logger keeps.
     *
     * @returns the maximum log level.
     */
    public getLevel(): LogLevel {
        return this._level;
    }

    /**
     * Sets the highest level of messages this logger keeps.
     *
     * @param value     the new maximum log level.
     */
    public setLevel(value: LogLevel): void {
        this._level = value;
    }

    /**
     * Gets the name of the source of the messages.
     *
     * @returns the source name, or null.
     */
    public getSource(): string {
        return this._source;
    }

    /**
     * Sets the name of the source of the messages.
     *
     * @param value     the source name.
     */
    public setSource(value: string): void {
        this._source = value;
    }

    /**
     * Writes a formatted message to where this logger sends it.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the formatted message.
     */
    protected abstract write(level: LogLevel, context: IContext, error: Error, message: string): void;

    /**
     * Formats a message (`util.format`, only when args are given) and writes it.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the message; null is written as "".
     * @param args      values for the message's placeholders.
     */
    protected formatAndWrite(level: LogLevel, context: IContext, error: Error, message: string, ...args: any[]): void {
        let text = message ?? '';
        if (args != null && args.length > 0) text = format(text, ...args);
        this.write(level, context, error, text);
    }

    /**
     * Logs a message at a given level.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public log(level: LogLevel, context: IContext, error: Error, message: string, ...args: any[]): void {
        this.formatAndWrite(level, context, error, message, ...args);
    }

    /**
     * Logs an error that stops the process.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     the error.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public fatal(context: IContext, error: Error, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Fatal, context, error, message, ...args);
    }

    /**
     * Logs an error the process recovers from.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     the error.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public error(context: IContext, error: Error, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Error, context, error, message, ...args);
    }

    /**
     * Logs a warning (no error attached).
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public warn(context: IContext, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Warn, context, null as any, message, ...args);
    }

    /**
     * Logs important information (no error attached).
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public info(context: IContext, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Info, context, null as any, message, ...args);
    }

    /**
     * Logs high-level details for troubleshooting (no error attached).
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public debug(context: IContext, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Debug, context, null as any, message, ...args);
    }

    /**
     * Logs low-level details for troubleshooting (no error attached).
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    public trace(context: IContext, message: string, ...args: any[]): void {
        this.formatAndWrite(LogLevel.Trace, context, null as any, message, ...args);
    }

    /**
     * Describes an error in one string: its message, then " Caused by: " and its cause (when it has
     * one), then " Stack trace: " and its stack (when it has one).
     *
     * @param error     the error.
     * @returns the description.
     */
    protected composeError(error: Error): string {
        let text = error.message;
        const cause = (error as any).cause;
        if (cause) text += ' Caused by: ' + cause;
        if (error.stack) text += ' Stack trace: ' + error.stack;
        return text;
    }
}

/** @module log */
import { IContext } from 'pip-services4-components-node';

import { LogLevel } from './LogLevel';

/**
 * Test stand-in for pip-services4-observability-node `ILogger`: a component that captures log
 * messages. The context and error parameters are typed non-nullable, as in the real package's
 * typings, although every implementation accepts null for them.
 */
export interface ILogger {
    /**
     * Gets the highest level of messages this logger keeps.
     *
     * @returns the maximum log level.
     */
    getLevel(): LogLevel;

    /**
     * Sets the highest level of messages this logger keeps.
     *
     * @param value     the new maximum log level.
     */
    setLevel(value: LogLevel): void;

    /**
     * Logs a message at a given level.
     *
     * @param level     the level of the message.
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     (optional) an error that goes with the message.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    log(level: LogLevel, context: IContext, error: Error, message: string, ...args: any[]): void;

    /**
     * Logs an error that stops the process.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     the error.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    fatal(context: IContext, error: Error, message: string, ...args: any[]): void;

    /**
     * Logs an error the process recovers from.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param error     the error.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    error(context: IContext, error: Error, message: string, ...args: any[]): void;

    /**
     * Logs a warning.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    warn(context: IContext, message: string, ...args: any[]): void;

    /**
     * Logs important information.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    info(context: IContext, message: string, ...args: any[]): void;

    /**
     * Logs high-level details for troubleshooting.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    debug(context: IContext, message: string, ...args: any[]): void;

    /**
     * Logs low-level details for troubleshooting.
     *
     * @param context   (optional) a context to trace execution through a call chain.
     * @param message   the message, a `util.format` format when args are given.
     * @param args      values for the message's placeholders.
     */
    trace(context: IContext, message: string, ...args: any[]): void;
}

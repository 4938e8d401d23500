/** @module log */
import { IContext } from 'pip-services4-components-node';

import { ILogger } from './ILogger';
import { LogLevel } from './LogLevel';

/**
 * Test stand-in for pip-services4-observability-node `NullLogger`: a logger that drops every
 * message; its level is always None and cannot be changed.
 */
export class NullLogger implements ILogger {
    /**
     * Creates a logger that logs nothing.
     */
    public constructor() {
        // Nothing to set up.
    }

    /** @returns always None. */
    public getLevel(): LogLevel {
        return LogLevel.None;
    }

    /** Ignored: the level stays None. */
    public setLevel(_value: LogLevel): void {
        // Ignored.
    }

    /** Drops the message. */
    public log(_level: LogLevel, context: IContext, _error: Error, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public fatal(context: IContext, _error: Error, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public error(context: IContext, _error: Error, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public warn(context: IContext, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public info(context: IContext, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public debug(context: IContext, _message: string, ..._args: any[]): void {
        // Dropped.
    }

    /** Drops the message. */
    public trace(context: IContext, _message: string, ..._args: any[]): void {
        // Dropped.
    }
}

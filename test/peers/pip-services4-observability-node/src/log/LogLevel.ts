/** @module log */

/**
 * Test stand-in for pip-services4-observability-node `LogLevel`: the standard log levels, from
 * None (0) to Trace (6). A logger keeps the messages at its level and below; Debug and Trace are
 * meant for local troubleshooting.
 */
export enum LogLevel {
    /** Nothing is logged. */
    None = 0,
    /** Only errors that stop the process. */
    Fatal,
    /** Every error. */
    Error,
    /** Errors and warnings. */
    Warn,
    /** Errors, warnings and important information. */
    Info,
    /** Everything but traces. */
    Debug,
    /** Everything. */
    Trace
}

/** @module connect */
import {
    ApplicationException,
    ConnectionException,
    InternalException
} from 'pip-services4-commons-node';

/**
 * Turns errors thrown by the node-redis client into pip-services exceptions, so callers see
 * one error vocabulary whatever the driver does underneath.
 *
 * Codes it produces (all stable, safe to match on):
 * - `CONNECT_FAILED`  (ConnectionException): nothing listens, or the connection broke during open
 * - `CONNECT_TIMEOUT` (ConnectionException): the server did not answer within `options.connect_timeout`
 * - `AUTH_FAILED`     (ConnectionException): the server refused the username or password
 * - `COMMAND_TIMEOUT` (ConnectionException): no reply within `options.command_timeout`
 * - `CONNECTION_LOST` (ConnectionException): the connection dropped or is reconnecting
 * - `REDIS_ERROR`     (InternalException): Redis executed the command and answered with an error
 *
 * Messages and details never carry a password: they are built from the error's class and the
 * server's own reply text, never from the client options.
 */
export class RedisErrors {
    /**
     * Tells whether an error is the server refusing the credentials.
     *
     * @param err   an error raised by node-redis.
     * @returns true for WRONGPASS, NOAUTH and NOPERM replies, also when wrapped.
     */
    public static isAuthError(err: any): boolean {
        const inner = RedisErrors.innermost(err);
        return typeof inner?.message === 'string' && /^(WRONGPASS|NOAUTH|NOPERM)/.test(inner.message);
    }

    /**
     * Unwraps node-redis wrappers (ReconnectStrategyError) down to the error that caused them.
     *
     * @param err   an error raised by node-redis.
     * @returns the original error.
     */
    public static innermost(err: any): any {
        let current = err;
        for (let i = 0; i < 5 && current != null; i++) {
            const next = current.originalError ?? current.socketError;
            if (next == null || next === current) break;
            current = next;
        }
        return current;
    }

    /**
     * Wraps an error raised while opening the connection.
     *
     * @param traceId   a trace id for the exception.
     * @param err       the error node-redis raised.
     * @param endpoint  host:port the client tried, for the details (no credentials).
     * @returns a ConnectionException with code AUTH_FAILED, CONNECT_TIMEOUT or CONNECT_FAILED.
     */
    public static fromOpenError(traceId: string, err: any, endpoint: string): ApplicationException {
        if (err instanceof ApplicationException) return err;
        const inner = RedisErrors.innermost(err);
        let result: ApplicationException;
        if (RedisErrors.isAuthError(inner)) {
            result = new ConnectionException(traceId, 'AUTH_FAILED',
                'Redis at ' + endpoint + ' refused the credentials: ' + RedisErrors.firstWord(inner.message));
        } else if (RedisErrors.isTimeout(inner)) {
            result = new ConnectionException(traceId, 'CONNECT_TIMEOUT',
                'Redis at ' + endpoint + ' did not answer in time');
        } else {
            result = new ConnectionException(traceId, 'CONNECT_FAILED',
                'Cannot connect to Redis at ' + endpoint + ': ' + RedisErrors.describe(inner));
        }
        return result.withDetails('endpoint', endpoint).withCause(RedisErrors.safeCause(inner));
    }

    /**
     * Wraps an error raised by a command on an open connection.
     *
     * @param traceId   a trace id for the exception.
     * @param err       the error node-redis raised.
     * @returns a ConnectionException for transport failures, an InternalException for Redis error replies,
     *          or the error itself when it already is a pip-services exception.
     */
    public static fromCommandError(traceId: string, err: any): ApplicationException {
        if (err instanceof ApplicationException) return err;
        const inner = RedisErrors.innermost(err);
        const name = inner?.constructor?.name ?? '';
        if (name === 'SimpleError' || name === 'BlobError' || name === 'ErrorReply' || name === 'MultiErrorReply') {
            if (RedisErrors.isAuthError(inner)) {
                return new ConnectionException(traceId, 'AUTH_FAILED',
                    'Redis refused the credentials: ' + RedisErrors.firstWord(inner.message))
                    .withCause(RedisErrors.safeCause(inner));
            }
            return new InternalException(traceId, 'REDIS_ERROR', 'Redis replied with an error: ' + inner.message)
                .withCause(RedisErrors.safeCause(inner));
        }
        if (RedisErrors.isTimeout(inner)) {
            return new ConnectionException(traceId, 'COMMAND_TIMEOUT', 'Redis did not answer in time')
                .withCause(RedisErrors.safeCause(inner));
        }
        return new ConnectionException(traceId, 'CONNECTION_LOST',
            'Redis connection is not available: ' + RedisErrors.describe(inner))
            .withCause(RedisErrors.safeCause(inner));
    }

    /**
     * Tells whether a command failed because Redis could not be reached or did not answer (an
     * outage), as opposed to Redis answering with an error. Such a command may or may not have run.
     *
     * @param err   an error from [[fromCommandError]].
     * @returns true for CONNECTION_LOST and COMMAND_TIMEOUT.
     */
    public static isOutage(err: any): boolean {
        return err?.code === 'CONNECTION_LOST' || err?.code === 'COMMAND_TIMEOUT';
    }

    /**
     * The error for a command still unanswered when the caller's own timeout ran out.
     *
     * @param traceId   a trace id for the exception.
     * @returns ConnectionException COMMAND_TIMEOUT.
     */
    public static noAnswer(traceId: string): ApplicationException {
        return new ConnectionException(traceId, 'COMMAND_TIMEOUT', 'Redis did not answer in time');
    }

    /**
     * The error for an open() that ran out of `options.connect_timeout`.
     *
     * @param traceId   a trace id for the exception.
     * @param endpoint  host:port the client tried (no credentials).
     * @param lastError (optional) the last error the client reported while trying.
     * @returns ConnectionException CONNECT_FAILED naming the last error, or CONNECT_TIMEOUT.
     */
    public static connectTimeout(traceId: string, endpoint: string, lastError?: any): ApplicationException {
        if (lastError != null && !RedisErrors.isTimeout(RedisErrors.innermost(lastError))) {
            return RedisErrors.fromOpenError(traceId, lastError, endpoint);
        }
        return new ConnectionException(traceId, 'CONNECT_TIMEOUT', 'Redis at ' + endpoint + ' did not answer in time')
            .withDetails('endpoint', endpoint);
    }

    private static isTimeout(err: any): boolean {
        const name = err?.constructor?.name ?? '';
        return name === 'TimeoutError' || name === 'SocketTimeoutError' || name === 'ConnectionTimeoutError'
            || name === 'CommandTimeoutDuringMaintenanceError' || name === 'SocketTimeoutDuringMaintenanceError'
            || err?.code === 'ETIMEDOUT';
    }

    private static describe(err: any): string {
        if (err == null) return 'unknown error';
        if (err.code && typeof err.code === 'string') return err.code;
        const name = err.constructor?.name ?? 'Error';
        return err.message ? name + ' (' + err.message + ')' : name;
    }

    private static firstWord(message: string): string {
        return String(message ?? '').split(' ')[0];
    }

    // Server and socket errors never echo the password, but keep only what names the failure.
    private static safeCause(err: any): Error {
        const e = new Error(RedisErrors.describe(err));
        e.name = err?.constructor?.name ?? 'Error';
        return e;
    }
}

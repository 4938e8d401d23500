/** @module connect */
import {
    ApplicationException,
    ConfigException,
    ConnectionException,
    InternalException,
    InvalidStateException,
    UnauthorizedException
} from 'pip-services4-commons-node';

// Codes Node gives a TLS socket error when the peer's certificate does not verify (OpenSSL's X509
// verification results), besides the ERR_TLS_* / ERR_SSL_* / ERR_OSSL_* families.
const CERTIFICATE_ERRORS = new Set([
    'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
    'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE',
    'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED',
    'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD',
    'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED',
    'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH'
]);

// Error replies of a node that cannot serve for a while, and will again (or another node will)
// once the failover, resharding or loading is over: a cluster without a master for some slots
// (CLUSTERDOWN), a multi-key command during a slot migration (TRYAGAIN), a replica that lost its
// master (MASTERDOWN), a server loading its data (LOADING), a demoted master (READONLY).
const NOT_SERVING = /^(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|READONLY)\b/;

/**
 * Turns errors thrown by the node-redis client into pip-services exceptions, so callers see
 * one error vocabulary whatever the driver does underneath.
 *
 * Codes it produces (all stable, safe to match on):
 * - `CONNECT_FAILED`  (ConnectionException): nothing listens, or the connection broke during open
 * - `CONNECT_TIMEOUT` (ConnectionException): the server did not answer within `options.connect_timeout`
 * - `AUTH_FAILED`     (ConnectionException): the server refused the username or password
 * - `TLS_FAILED`      (ConnectionException): the TLS handshake failed: the server certificate did not
 *                     verify (unknown CA, host name mismatch, expired), or the server refused the
 *                     client (no or unknown client certificate); details: `endpoint`, `reason` (Node's code)
 * - `NO_PERMISSION`   (UnauthorizedException): the ACL user may not run a command, or touch a key or
 *                     channel, the component needs (NOPERM)
 * - `COMMAND_TIMEOUT` (ConnectionException): no reply within `options.command_timeout`
 * - `CONNECTION_LOST` (ConnectionException): the connection dropped or is reconnecting
 * - `NOT_SERVING`     (ConnectionException): a node cannot serve for a while: failing over (CLUSTERDOWN,
 *                     MASTERDOWN, READONLY from a demoted master), resharding (TRYAGAIN) or loading (LOADING)
 * - `NOT_REPLICATED`  (ConnectionException): fewer replicas than `options.min_replicas` acknowledged an
 *                     acquire or extend in time; it did not count (details: `min_replicas`, `acknowledged`)
 * - `REDIS_ERROR`     (InternalException): Redis executed the command and answered with an error
 *
 * Messages and details never carry a password or a user name: they are built from the error's
 * class and code and the server's own reply text (only the first word of replies that can name the
 * user: WRONGPASS, NOAUTH, NOPERM), never from the client options.
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
     * Tells whether an error is the server denying a command, key or channel to the ACL user:
     * a NOPERM reply, or (Redis before 7.2) the error of a script whose command the ACL denied.
     *
     * @param err   an error raised by node-redis.
     * @returns true for permission errors, also when wrapped.
     */
    public static isPermissionError(err: any): boolean {
        const inner = RedisErrors.innermost(err);
        return typeof inner?.message === 'string'
            && /^NOPERM|The user executing the script can't|has no permissions to/.test(inner.message);
    }

    /**
     * Tells whether an error is the server refusing the configured database number.
     *
     * @param err   an error raised by node-redis.
     * @returns true for "DB index is out of range", also when wrapped.
     */
    public static isDatabaseError(err: any): boolean {
        const inner = RedisErrors.innermost(err);
        return typeof inner?.message === 'string' && /DB index is out of range/i.test(inner.message);
    }

    /**
     * The error for a database number the server does not have (its `databases` setting).
     *
     * @param traceId   a trace id for the exception.
     * @param database  the configured database number.
     * @param endpoint  host:port the client tried (no credentials).
     * @returns ConfigException INVALID_DATABASE.
     */
    public static databaseRefused(traceId: string, database: number, endpoint: string): ApplicationException {
        return new ConfigException(traceId, 'INVALID_DATABASE', 'Redis at ' + endpoint + ' has no database ' + database)
            .withDetails('database', String(database)).withDetails('endpoint', endpoint);
    }

    /**
     * Tells whether an error is a failed TLS handshake: a server certificate that does not verify,
     * a host name that does not match it, or the server refusing the client's certificate.
     *
     * @param err   an error raised by node-redis or the TLS socket.
     * @returns true for Node's TLS, SSL and certificate verification error codes, also when wrapped.
     */
    public static isTlsError(err: any): boolean {
        const code = RedisErrors.innermost(err)?.code;
        return typeof code === 'string' && (CERTIFICATE_ERRORS.has(code) || /^ERR_(TLS|SSL|OSSL)_/.test(code));
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
        if (RedisErrors.isPermissionError(inner)) {
            return RedisErrors.noPermission(traceId).withDetails('endpoint', endpoint);
        } else if (RedisErrors.isAuthError(inner)) {
            result = new ConnectionException(traceId, 'AUTH_FAILED',
                'Redis at ' + endpoint + ' refused the credentials: ' + RedisErrors.firstWord(inner.message));
        } else if (RedisErrors.isTlsError(inner)) {
            result = new ConnectionException(traceId, 'TLS_FAILED',
                'TLS handshake with Redis at ' + endpoint + ' failed: ' + inner.code)
                .withDetails('reason', inner.code);
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
            if (RedisErrors.isPermissionError(inner)) return RedisErrors.noPermission(traceId);
            if (RedisErrors.isAuthError(inner)) {
                return new ConnectionException(traceId, 'AUTH_FAILED',
                    'Redis refused the credentials: ' + RedisErrors.firstWord(inner.message))
                    .withCause(RedisErrors.safeCause(inner));
            }
            if (NOT_SERVING.test(inner.message)) {
                return new ConnectionException(traceId, 'NOT_SERVING', 'Redis cannot serve commands for now ('
                    + RedisErrors.firstWord(inner.message) + '): failing over, resharding or loading its data')
                    .withCause(RedisErrors.safeCause(inner));
            }
            return new InternalException(traceId, 'REDIS_ERROR', 'Redis replied with an error: ' + inner.message)
                .withCause(RedisErrors.safeCause(inner));
        }
        if (RedisErrors.isTimeout(inner)) {
            return RedisErrors.noAnswer(traceId).withCause(RedisErrors.safeCause(inner));
        }
        return new ConnectionException(traceId, 'CONNECTION_LOST',
            'Redis connection is not available: ' + RedisErrors.describe(inner))
            .withCause(RedisErrors.safeCause(inner));
    }

    /**
     * The error for a component used before `open()` or after `close()`.
     *
     * @param traceId   a trace id for the exception.
     * @returns InvalidStateException NOT_OPENED.
     */
    public static notOpened(traceId: string): ApplicationException {
        return new InvalidStateException(traceId, 'NOT_OPENED', 'Connection is not opened');
    }

    /**
     * Tells whether a command failed because Redis could not be reached, did not answer, could
     * not serve it for a while (failing over, resharding, loading its data) or could not replicate it
     * in time: an outage, as opposed to Redis answering with an error. Such a command may or may not
     * have run.
     *
     * @param err   an error from [[fromCommandError]].
     * @returns true for CONNECTION_LOST, COMMAND_TIMEOUT, NOT_SERVING and NOT_REPLICATED.
     */
    public static isOutage(err: any): boolean {
        const code = err?.code;
        return code === 'CONNECTION_LOST' || code === 'COMMAND_TIMEOUT' || code === 'NOT_SERVING' || code === 'NOT_REPLICATED';
    }

    /**
     * A write that fewer replicas than required acknowledged in time (a replica down, or lagging):
     * it does not count, since a failover could lose it.
     *
     * @param traceId       the trace id.
     * @param minReplicas   the replicas required (`options.min_replicas`).
     * @param acknowledged  the replicas that acknowledged.
     * @returns ConnectionException NOT_REPLICATED.
     */
    public static notReplicated(traceId: string, minReplicas: number, acknowledged: number): ApplicationException {
        return new ConnectionException(traceId, 'NOT_REPLICATED', 'Fewer Redis replicas than options.min_replicas '
            + 'acknowledged the write in time; it did not count')
            .withDetails('min_replicas', minReplicas).withDetails('acknowledged', acknowledged);
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

    // NOPERM replies of Redis 7.2+ name the user (and the key or channel): keep only the word.
    private static noPermission(traceId: string): ApplicationException {
        const cause = new Error('NOPERM');
        cause.name = 'ErrorReply';
        return new UnauthorizedException(traceId, 'NO_PERMISSION',
            'Redis denied a command, key or channel to this ACL user (NOPERM): '
            + 'grant the rule the component needs (see the README, section ACL)')
            .withCause(cause);
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

import { ConflictException } from 'pip-services4-commons-node';
import {
    ConfigParams, ContextResolver, IContext, IReconfigurable
} from 'pip-services4-components-node';

import { ILock } from './ILock';

/**
 * Test stand-in for pip-services4-logic-node `Lock` (contract §3.2).
 *
 * `acquireLock` polls `tryAcquireLock` every `options.retry_timeout` ms (default 100):
 * one immediate attempt, then repeat { sleep; if past the deadline throw; attempt }.
 */
export abstract class Lock implements ILock, IReconfigurable {
    private _retryTimeout = 100;

    /** Reads `options.retry_timeout` (integer; default = current value). */
    public configure(config: ConfigParams): void {
        this._retryTimeout = config.getAsIntegerWithDefault('options.retry_timeout', this._retryTimeout);
    }

    public abstract tryAcquireLock(context: IContext | null, key: string, ttl: number): Promise<boolean>;

    public abstract releaseLock(context: IContext | null, key: string): Promise<void>;

    /** Throws ConflictException LOCK_TIMEOUT (details `key`) once the deadline has passed. */
    public async acquireLock(context: IContext | null, key: string, ttl: number, timeout: number): Promise<void> {
        const deadline = Date.now() + timeout;

        if (await this.tryAcquireLock(context, key, ttl)) {
            return;
        }

        for (;;) {
            await new Promise<void>((resolve) => setTimeout(resolve, this._retryTimeout));

            if (Date.now() > deadline) {
                const traceId = context != null ? ContextResolver.getTraceId(context) : null;
                throw new ConflictException(traceId as any, 'LOCK_TIMEOUT',
                    'Acquiring lock ' + key + ' failed on timeout').withDetails('key', key);
            }

            if (await this.tryAcquireLock(context, key, ttl)) {
                return;
            }
        }
    }
}

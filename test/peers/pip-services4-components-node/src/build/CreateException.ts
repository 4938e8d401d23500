import { InternalException } from 'pip-services4-commons-node';

/**
 * Test stand-in for pip-services4-components-node `CreateException` (contract §1.7).
 *
 * Extends the npm InternalException, so it inherits the prototype quirk (§0): instances are
 * not `instanceof CreateException` and their `constructor.name` is "InternalException".
 */
export class CreateException extends InternalException {
    /** A string second argument is the message; anything else is a locator. */
    public constructor(traceId: string | null = null, messageOrLocator: any) {
        super(traceId as any, 'CANNOT_CREATE',
            typeof messageOrLocator === 'string'
                ? messageOrLocator
                : 'Requested component ' + messageOrLocator + ' cannot be created');
        if (typeof messageOrLocator !== 'string' && messageOrLocator != null) {
            this.withDetails('locator', messageOrLocator);
        }
    }
}

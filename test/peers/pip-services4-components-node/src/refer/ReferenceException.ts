import { InternalException } from 'pip-services4-commons-node';

import { IContext } from '../context/IContext';
import { ContextResolver } from '../context/ContextResolver';

/**
 * Test stand-in for pip-services4-components-node `ReferenceException` (contract §1.5).
 *
 * Extends the npm InternalException, so it inherits the prototype quirk (§0): instances are
 * not `instanceof ReferenceException` and their `constructor.name` is "InternalException".
 */
export class ReferenceException extends InternalException {
    public constructor(context: IContext | null, locator: any) {
        super(context != null ? ContextResolver.getTraceId(context) : null as any,
            'REF_ERROR', 'Failed to obtain reference to ' + locator);
        this.withDetails('locator', locator);
    }
}

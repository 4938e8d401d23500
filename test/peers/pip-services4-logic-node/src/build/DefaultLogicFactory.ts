import { Descriptor, Factory } from 'pip-services4-components-node';

import { MemoryCache } from '../cache/MemoryCache';
import { NullCache } from '../cache/NullCache';
import { MemoryLock } from '../lock/MemoryLock';
import { NullLock } from '../lock/NullLock';

/**
 * Test stand-in for pip-services4-logic-node `DefaultLogicFactory` (contract §3.7).
 *
 * The real package also registers `pip-services:state-store:memory:*:1.0` and
 * `pip-services:state-store:null:*:1.0`; state stores are not part of this stand-in, so those
 * two registrations are deliberately omitted.
 */
export class DefaultLogicFactory extends Factory {
    public constructor() {
        super();
        this.registerAsType(new Descriptor('pip-services', 'cache', 'memory', '*', '1.0'), MemoryCache);
        this.registerAsType(new Descriptor('pip-services', 'cache', 'null', '*', '1.0'), NullCache);
        this.registerAsType(new Descriptor('pip-services', 'lock', 'null', '*', '1.0'), NullLock);
        this.registerAsType(new Descriptor('pip-services', 'lock', 'memory', '*', '1.0'), MemoryLock);
    }
}

/** @module build */
import { Descriptor, Factory } from 'pip-services4-components-node';

import { CompositeCounters } from '../count/CompositeCounters';
import { LogCounters } from '../count/LogCounters';
import { NullCounters } from '../count/NullCounters';
import { CompositeLogger } from '../log/CompositeLogger';
import { ConsoleLogger } from '../log/ConsoleLogger';
import { NullLogger } from '../log/NullLogger';
import { CompositeTracer } from '../trace/CompositeTracer';
import { LogTracer } from '../trace/LogTracer';
import { NullTracer } from '../trace/NullTracer';

/**
 * Test stand-in for pip-services4-observability-node `DefaultObservabilityFactory`. It registers,
 * in this order (the order decides which one a wildcard query finds first):
 * - `pip-services:counters:{null,log,composite}:*:1.0`   NullCounters, LogCounters, CompositeCounters
 * - `pip-services:logger:{null,console,composite}:*:1.0` NullLogger, ConsoleLogger, CompositeLogger
 * - `pip-services:tracer:{null,log,composite}:*:1.0`     NullTracer, LogTracer, CompositeTracer
 */
export class DefaultObservabilityFactory extends Factory {
    /**
     * Creates the factory with its registrations.
     */
    public constructor() {
        super();
        const at = (type: string, kind: string) => new Descriptor('pip-services', type, kind, '*', '1.0');
        this.registerAsType(at('counters', 'null'), NullCounters);
        this.registerAsType(at('counters', 'log'), LogCounters);
        this.registerAsType(at('counters', 'composite'), CompositeCounters);
        this.registerAsType(at('logger', 'null'), NullLogger);
        this.registerAsType(at('logger', 'console'), ConsoleLogger);
        this.registerAsType(at('logger', 'composite'), CompositeLogger);
        this.registerAsType(at('tracer', 'null'), NullTracer);
        this.registerAsType(at('tracer', 'log'), LogTracer);
        this.registerAsType(at('tracer', 'composite'), CompositeTracer);
    }
}

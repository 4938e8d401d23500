/** The faults the controller injects, in the order of one round. */
export type FaultName =
    | 'kill9-aof'
    | 'kill9-empty'
    | 'freeze-server'
    | 'kill-normal'
    | 'kill-pubsub'
    | 'pause-all'
    | 'freeze-holder';

/** Everything that sizes a chaos run. */
export interface ChaosSettings {
    mode: 'short' | 'long';
    /** Worker processes, each with one RedisLock. */
    processes: number;
    /** Worker loops per process. */
    workersPerProcess: number;
    /** Keys contended on in each phase (every phase has fresh keys). */
    keysPerPhase: number;
    /** Rounds: each runs every fault once. */
    rounds: number;
    /** Steady period before the first fault, in ms. */
    baselineMs: number;
    /** Steady period before each fault and after it ends, in ms; also the before/after counting window. */
    steadyMs: number;
    /** Lease TTL, in ms. */
    ttl: number;
    /** acquire() timeout, in ms. */
    acquireTimeout: number;
    /** `options.command_timeout` of the lock under test, in ms. */
    commandTimeout: number;
    /** Pause between the two writes of a critical section, in ms. */
    holdMs: number;
    /** Longest random pause between two sections of one worker, in ms. */
    thinkMs: number;
    /** How long the server stays frozen (SIGSTOP) or paused (CLIENT PAUSE), and a holder stays stopped, in ms. */
    outageMs: number;
    /** How long the server stays down between kill -9 and restart, in ms. */
    downMs: number;
    /** How long the holder picked for `freeze-holder` holds between its writes; the SIGSTOP lands in it. */
    freezeHoldMs: number;
}

/** The two sizes of a chaos run, and the faults of one round. */
export class ChaosPlan {
    /** Every fault, in the order of one round. */
    public static readonly FAULTS: FaultName[] = [
        'kill9-aof', 'kill9-empty', 'freeze-server', 'kill-normal', 'kill-pubsub', 'pause-all', 'freeze-holder'
    ];

    /** What each fault does, for the report. */
    public static readonly DESCRIPTIONS: Record<FaultName | 'baseline', string> = {
        'baseline': 'no fault (steady contention before the first fault)',
        'kill9-aof': 'kill -9 of the Redis under test, restart with its append-only file (appendfsync always): data kept',
        'kill9-empty': 'kill -9 of the Redis under test, restart without its data (as a server without persistence)',
        'freeze-server': 'SIGSTOP of the Redis under test for longer than the TTL, then SIGCONT',
        'kill-normal': 'CLIENT KILL TYPE normal from an admin connection (every command connection drops)',
        'kill-pubsub': 'CLIENT KILL TYPE pubsub from an admin connection (every subscriber connection drops)',
        'pause-all': 'CLIENT PAUSE ALL for longer than the TTL',
        'freeze-holder': 'SIGSTOP of a worker process while it holds a lock, for longer than the TTL, then SIGCONT'
    };

    private static readonly COMMON = {
        processes: 3,
        workersPerProcess: 3,
        keysPerPhase: 3,
        ttl: 600,
        acquireTimeout: 2000,
        commandTimeout: 1000,
        holdMs: 5,
        thinkMs: 10,
        outageMs: 1500,
        downMs: 500,
        freezeHoldMs: 300
    };

    /** The short run (CI): every fault once; about 45 s on 2 cores. */
    public static short(): ChaosSettings {
        return { mode: 'short', ...ChaosPlan.COMMON, rounds: 1, baselineMs: 2000, steadyMs: 2000 };
    }

    /** The long run: every fault four times, with longer steady periods; a few minutes. */
    public static long(): ChaosSettings {
        return { mode: 'long', ...ChaosPlan.COMMON, rounds: 4, baselineMs: 4000, steadyMs: 4000 };
    }
}

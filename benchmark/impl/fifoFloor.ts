import { createClient } from 'redis';
import { AdapterOptions, ImplSpec, LockAdapter } from './LockAdapter';

/** The list that holds the one baton of `key`. */
function batonOf(key: string): string {
    return key + ':baton';
}

/**
 * The fair floor of S3: what handing a key over in arrival order costs at the least, measured
 * beside the locks. NOT a lock: the "lock" is one element in a Redis list (the baton) and has no
 * TTL, so a holder that crashes loses the baton and everyone waits forever; nothing checks who
 * releases. Acquire is `BLPOP <key>:baton <timeout>` on a connection of the waiter's own (Redis
 * serves the clients blocked on a list in the order they blocked), release is `RPUSH <key>:baton 1`.
 * A hand-off is thus one RPUSH and one BLPOP reply, and always to the longest waiter, wherever it
 * runs: the cost any FIFO hand-off pays, against which barging (the releaser re-acquiring at once,
 * in its own hot process) is measured. The baton must exist exactly once: see seed().
 */
class FifoBatonFloor implements LockAdapter {
    public readonly id = 'floor-fifo';
    /** RPUSH and the seeding; never blocks. */
    private readonly _commands: any;
    /** Blocking connections not in a BLPOP now: a BLPOP holds its whole connection, so each waiter needs one. */
    private readonly _idle: any[] = [];
    private readonly _opened: any[] = [];

    public constructor(options: AdapterOptions) {
        // node-redis 6 cuts any command after 5 s by default, before a BLPOP's own timeout of
        // 10 s; 0 turns that timer off (as this library does), on the blocking connections
        // duplicated from this one too.
        this._commands = createClient({ socket: { host: options.host, port: options.port }, commandOptions: { timeout: 0 } });
        this._commands.on('error', () => undefined);
    }
    public async open(): Promise<void> {
        await this._commands.connect();
    }
    public async close(): Promise<void> {
        await Promise.all(this._opened.map(connection => connection.close()));
        await this._commands.close();
    }
    /**
     * One key, one baton: the task of S3's first worker process calls this once per run, before
     * the common start, so no worker can take a baton before it exists (a BLPOP that comes first
     * just waits for it). The DEL makes it one baton even if the key was used before.
     */
    public async seed(key: string): Promise<void> {
        await this._commands.multi().del(batonOf(key)).rPush(batonOf(key), '1').exec();
    }
    public tryAcquire(): Promise<boolean> {
        // A single attempt (LPOP) would jump the queue of blocked waiters; the floor is only for S3.
        return Promise.reject(new Error('floor-fifo has no single attempt: it runs in S3 only'));
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        const connection = this._idle.pop() ?? await this.openBlocking();
        let reply: unknown;
        try {
            // BLPOP's timeout is in seconds (fractions allowed); 0 would wait forever.
            reply = await connection.blPop(batonOf(key), Math.max(timeout, 1) / 1000);
        } finally {
            this._idle.push(connection);
        }
        if (reply == null) throw new Error('LOCK_TIMEOUT ' + key);
    }
    public async release(key: string): Promise<void> {
        await this._commands.rPush(batonOf(key), '1');
    }
    private async openBlocking(): Promise<any> {
        const connection = this._commands.duplicate();
        connection.on('error', () => undefined);
        this._opened.push(connection);
        await connection.connect();
        return connection;
    }
}

export const floorFifo: ImplSpec = {
    id: 'floor-fifo',
    label: 'floor, FIFO baton (BLPOP), not a lock',
    waiting: () => 'blocks in BLPOP (Redis serves waiters in order)',
    available: () => true,
    create: options => new FifoBatonFloor(options)
};

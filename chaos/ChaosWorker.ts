// One chaos worker process, forked by the controller (chaos/ChaosController.ts). It runs several
// worker loops on ONE RedisLock (as a service would), each taking leases with the watchdog on a few
// shared keys and, inside the critical section, writing twice to the fenced resource with
// `lease.fence`, checking `lease.held` and `lease.signal.aborted` right before each write, as the
// README tells users to. It reports everything to the controller over IPC in batches, with a
// heartbeat every 100 ms. Only the public API of RedisLock and LockLease is used.
import { ConfigParams } from 'pip-services4-components-node';

import { LockLease, RedisLock } from '../src';
import {
    ControllerMessage, WorkerActivity, WorkerEvent, WorkerMessage, WorkerPlan
} from './ChaosEvents';
import { FencedResource } from './FencedResource';

const BEAT_MS = 100;

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

function codeOf(err: any): string {
    return String(err?.code ?? err?.name ?? 'UNKNOWN');
}

// Codes an outage is expected to produce; anything else keeps its message for the report.
const EXPECTED_CODES = ['LOCK_TIMEOUT', 'CONNECTION_LOST', 'COMMAND_TIMEOUT'];

function messageOf(err: any): string | undefined {
    if (EXPECTED_CODES.includes(codeOf(err))) return undefined;
    const cause = err?.cause?.message ?? err?.cause;
    return (String(err?.message ?? err) + (cause ? ' (cause: ' + cause + ')' : '')).split('\n')[0].slice(0, 200);
}

function lossReason(reason: any): string {
    const details = reason?.details;
    const detail = typeof details?.getAsNullableString == 'function'
        ? details.getAsNullableString('reason') : details?.reason;
    return String(detail ?? reason?.code ?? reason);
}

/** The worker loops of one process and what they report. */
class ChaosWorkerProcess {
    private readonly _plan: WorkerPlan;
    private readonly _index: number;
    private readonly _lock = new RedisLock();
    private _resource: FencedResource;
    private _keys: string[];
    private _events: WorkerEvent[] = [];
    private readonly _activity = new Map<string, WorkerActivity>();
    private _stopping = false;
    private _freezeHoldMs: number | null = null;
    private _beat: NodeJS.Timeout | null = null;

    public constructor(plan: WorkerPlan, index: number) {
        this._plan = plan;
        this._index = index;
        this._keys = plan.keys;
    }

    /** Records an event for the next heartbeat. */
    public record(event: WorkerEvent): void {
        this._events.push(event);
    }

    /** Sends whatever was recorded, now. */
    public flush(callback?: () => void): void {
        const events = this._events;
        this._events = [];
        const message: WorkerMessage = {
            type: 'beat', pid: process.pid, at: Date.now(), events, activity: [...this._activity.values()]
        };
        if (process.connected) process.send!(message, undefined, undefined, () => callback?.());
        else callback?.();
    }

    public async open(): Promise<void> {
        const plan = this._plan;
        this._lock.configure(ConfigParams.fromTuples(
            'connection.host', plan.lock.host,
            'connection.port', plan.lock.port,
            'options.command_timeout', plan.commandTimeout
        ));
        await this._lock.open(null);
        this._resource = await FencedResource.connect(plan.resource.host, plan.resource.port);
    }

    public handle(message: ControllerMessage): void {
        if (message.type == 'keys') this._keys = message.keys;
        else if (message.type == 'freeze-next') this._freezeHoldMs = message.holdMs;
        else if (message.type == 'stop') this._stopping = true;
    }

    public async run(): Promise<void> {
        this._beat = setInterval(() => this.flush(), BEAT_MS);
        const loops: Promise<void>[] = [];
        for (let i = 0; i < this._plan.workers; i++) loops.push(this.loop('p' + this._index + 'w' + i));
        await Promise.all(loops);
        clearInterval(this._beat);
        await this._lock.close(null).catch(err => this.record({
            type: 'error', worker: 'p' + this._index, op: 'release', key: '', code: codeOf(err), at: Date.now()
        }));
        await this._resource.close();
    }

    private doing(worker: string, op: WorkerActivity['op']): void {
        this._activity.set(worker, { worker, op, since: Date.now() });
    }

    private async loop(worker: string): Promise<void> {
        const plan = this._plan;
        while (!this._stopping) {
            const key = this._keys[Math.floor(Math.random() * this._keys.length)];
            this.doing(worker, 'acquire');
            const callAt = Date.now();
            let lease: LockLease;
            try {
                lease = await this._lock.acquire(null, key, { ttl: plan.ttl, timeout: plan.acquireTimeout, watchdog: true });
            } catch (err) {
                this.record({ type: 'error', worker, op: 'acquire', key, code: codeOf(err), message: messageOf(err), at: Date.now() });
                this.doing(worker, 'think');
                await sleep(10 + Math.random() * plan.thinkMs);
                continue;
            }
            const acquiredAt = Date.now();
            // The lease's expiry is counted from when the successful attempt was sent.
            const requestedAt = Math.min(acquiredAt, Math.max(callAt, lease.expiresAt - plan.ttl));
            this.record({ type: 'acquired', worker, key, token: lease.token, fence: lease.fence, requestedAt, acquiredAt });
            const token = lease.token;
            lease.signal.addEventListener('abort', () => {
                this.record({ type: 'lost', worker, key, token, at: Date.now(), reason: lossReason(lease.signal.reason) });
            }, { once: true });
            try {
                await this.criticalSection(worker, lease);
            } finally {
                this.doing(worker, 'release');
                const aborted = lease.signal.aborted;
                try {
                    const stillHeld = await lease.release();
                    this.record({ type: 'released', worker, key, token, at: Date.now(), stillHeld, aborted });
                } catch (err) {
                    this.record({ type: 'released', worker, key, token, at: Date.now(), stillHeld: null, aborted, code: codeOf(err) });
                    this.record({ type: 'error', worker, op: 'release', key, code: codeOf(err), message: messageOf(err), at: Date.now() });
                }
            }
            this.doing(worker, 'think');
            await sleep(Math.random() * plan.thinkMs);
        }
        this.doing(worker, 'idle');
    }

    /** Two fenced writes with a pause between them, each right after checking the lease. */
    private async criticalSection(worker: string, lease: LockLease): Promise<void> {
        let holdMs = this._plan.holdMs;
        for (let step = 1; step <= 2; step++) {
            if (step == 2) {
                this.doing(worker, 'hold');
                await sleep(holdMs);
            }
            this.doing(worker, 'write');
            // The check and the write's send happen in the same tick: nothing runs between them here.
            const checkedAt = Date.now();
            const held = lease.held;
            const aborted = lease.signal.aborted;
            const expiresAt = lease.expiresAt;
            if (!held || aborted) {
                this.record({ type: 'skipped', worker, key: lease.key, token: lease.token, step, at: checkedAt, held, aborted });
                return;
            }
            try {
                await this._resource.write({
                    key: lease.key, token: lease.token, fence: lease.fence, worker, step,
                    held, aborted, checkedAt, expiresAt
                });
            } catch (err) {
                this.record({ type: 'error', worker, op: 'write', key: lease.key, code: codeOf(err), message: messageOf(err), at: Date.now() });
                return;
            }
            if (step == 1 && this._freezeHoldMs != null) {
                // The controller asked for a holder to freeze: this one tells it, then holds long
                // enough for the SIGSTOP to land before its second write.
                holdMs = this._freezeHoldMs;
                this._freezeHoldMs = null;
                const message: WorkerMessage = {
                    type: 'holding', pid: process.pid, worker, key: lease.key, token: lease.token,
                    fence: lease.fence, expiresAt: lease.expiresAt, at: Date.now()
                };
                process.send!(message);
            }
        }
    }

    public async finish(): Promise<void> {
        const message: WorkerMessage = { type: 'done', pid: process.pid, events: this._events };
        this._events = [];
        await new Promise<void>(resolve => process.send!(message, undefined, undefined, () => resolve()));
    }
}

let worker: ChaosWorkerProcess | null = null;

process.on('unhandledRejection', reason => {
    const event: WorkerEvent = { type: 'unhandled', pid: process.pid, at: Date.now(), text: String((reason as any)?.stack ?? reason) };
    if (worker != null) worker.record(event);
    else if (process.connected) process.send!({ type: 'beat', pid: process.pid, at: Date.now(), events: [event], activity: [] });
});

process.on('uncaughtException', err => {
    const event: WorkerEvent = { type: 'uncaught', pid: process.pid, at: Date.now(), text: String(err?.stack ?? err) };
    const exit = () => process.exit(70);
    if (worker != null) {
        worker.record(event);
        worker.flush(exit);
    } else if (process.connected) {
        process.send!({ type: 'beat', pid: process.pid, at: Date.now(), events: [event], activity: [] }, undefined, undefined, exit);
    } else {
        exit();
    }
    setTimeout(exit, 1000).unref();
});

// The controller is gone: nobody would stop this process.
process.on('disconnect', () => process.exit(worker == null ? 0 : 71));

// A rejection here is not lost: the 'unhandledRejection' handler above records it as a finding.
process.on('message', (message: ControllerMessage) => {
    void onMessage(message);
});

async function onMessage(message: ControllerMessage): Promise<void> {
    if (message.type == 'plan') {
        worker = new ChaosWorkerProcess(message.plan, message.index);
        try {
            await worker.open();
        } catch (err) {
            // A harness failure (Redis not reachable at the start), not something under test.
            process.send!({ type: 'failed', pid: process.pid, text: String(err?.stack ?? err) } as WorkerMessage,
                undefined, undefined, () => process.exit(2));
            return;
        }
        process.send!({ type: 'ready', pid: process.pid } as WorkerMessage);
    } else if (message.type == 'start') {
        await worker!.run();
        await worker!.finish();
        worker = null;
        process.disconnect();
    } else {
        worker?.handle(message);
    }
}

import { createClient } from 'redis';

/**
 * Watches what a Redis server runs, through MONITOR, without sleeping: `mark()` sends an ECHO
 * with a unique marker and resolves once MONITOR has shown it, so every command the server ran
 * before is in `lines` by then; `waitFor()` resolves once enough lines match.
 */
export class CommandTap {
    public readonly lines: string[] = [];
    private readonly _monitor: any;
    private readonly _probe: any;
    private _waiters: { match: (line: string) => boolean, count: number, seen: number, resolve: () => void }[] = [];
    private _marks = 0;

    private constructor(monitor: any, probe: any) {
        this._monitor = monitor;
        this._probe = probe;
    }

    /** Connects a MONITOR client and a probe to a server. */
    public static async start(endpoint: { host: string, port: number }): Promise<CommandTap> {
        const monitor = createClient({ socket: endpoint });
        const probe = createClient({ socket: endpoint });
        monitor.on('error', () => undefined);
        probe.on('error', () => undefined);
        await monitor.connect();
        await probe.connect();
        const tap = new CommandTap(monitor, probe);
        await monitor.monitor((line: string) => tap.onLine(line));
        return tap;
    }

    /** Resolves once `count` lines (from now on) match. */
    public waitFor(match: (line: string) => boolean, count: number, timeout = 10000): Promise<void> {
        return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('MONITOR showed ' + waiter.seen + ' of '
                + count + ' expected commands within ' + timeout + ' ms')), timeout);
            const waiter = { match, count, seen: 0, resolve: () => { clearTimeout(timer); resolve(); } };
            this._waiters.push(waiter);
        });
    }

    /**
     * Sends a marker through the probe and waits until MONITOR shows it.
     *
     * @returns the index in `lines` of the marker's line.
     */
    public async mark(): Promise<number> {
        const marker = 'tap-marker-' + process.pid + '-' + (++this._marks) + '-' + Math.random().toString(36).slice(2);
        const seen = this.waitFor(line => line.includes(marker), 1);
        await this._probe.echo(marker);
        await seen;
        return this.lines.findIndex(line => line.includes(marker));
    }

    /** Commands between two marks, without the tap's own ECHOs and the clients' keep-alive PINGs. */
    public between(from: number, to: number): string[] {
        return this.lines.slice(from + 1, to).filter(line => !/"(echo|ping)"/i.test(line));
    }

    public stop(): void {
        this._monitor.destroy();
        this._probe.destroy();
    }

    private onLine(line: string): void {
        this.lines.push(line);
        for (const waiter of this._waiters) {
            if (waiter.match(line) && ++waiter.seen == waiter.count) waiter.resolve();
        }
        this._waiters = this._waiters.filter(w => w.seen < w.count);
    }
}

/** True for a MONITOR line showing `command` run with `key` as its first argument (keys without quotes). */
export function isCommandOn(line: string, command: string, key: string): boolean {
    return line.toLowerCase().includes(('"' + command + '" "' + key + '"').toLowerCase());
}

import { setTimeout as delay } from 'timers/promises';

/**
 * Bounded polling, for the few states Redis announces to nobody (cluster state, sentinel's view of
 * the master, a replica's link): ask again every few milliseconds until the state holds or the
 * deadline passes, then fail saying what never happened and what was last seen.
 */
export class Polling {
    /** Time between two looks: short, as everything runs on loopback. */
    public static readonly INTERVAL_MS = 50;

    /**
     * Waits until `check` reports nothing missing.
     *
     * @param what      what is awaited, for the error ("the cluster to settle").
     * @param check     null when the state holds, else what is still missing; a thrown error counts
     *                  as missing (a server still starting or just killed), so is retried too.
     * @param timeoutMs bound on the whole wait.
     * @returns how long it took, in milliseconds.
     * @throws Error naming `what`, the bound and the last thing missing, once the bound passed.
     */
    public static async until(what: string, check: () => Promise<string | null>, timeoutMs: number): Promise<number> {
        const start = Date.now();
        let missing = 'not checked yet';
        for (;;) {
            try {
                const result = await check();
                if (result == null) return Date.now() - start;
                missing = result;
            } catch (err) {
                missing = (err as Error).message;
            }
            if (Date.now() - start >= timeoutMs) {
                throw new Error('Timed out after ' + timeoutMs + ' ms waiting for ' + what + '; last seen: ' + missing);
            }
            await delay(Polling.INTERVAL_MS);
        }
    }
}

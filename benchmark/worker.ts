// A benchmark worker process: tells the parent it is loaded, then gets a task over IPC, reports
// ready, waits for "go" (with the common start time), runs the task and sends back the result.
// A measured task (S2c) also reports "paused" after its warm-up and after its measured cycles,
// and goes on when the parent says "resume" (it reads the servers in between).
// It exits after its task, unless the parent reuses it (the quick run) and sends the next one;
// a reused worker exits when told to stop or when the parent goes away.
import { PauseStage, runTask, Task } from './tasks';

/** What the parent sends: a task (and whether more will follow), the common start time, resume, or stop. */
type ParentMessage = { task: Task; reuse: boolean } | { startAt: number } | { resume: true } | { stop: true };

let onStart: ((startAt: number) => void) | null = null;
let onResume: (() => void) | null = null;

async function run(task: Task, reuse: boolean): Promise<void> {
    try {
        const result = await runTask(task, () => new Promise<number>(resolve => {
            onStart = resolve;
            process.send!({ type: 'ready' });
        }), (stage: PauseStage) => new Promise<void>(resolve => {
            onResume = resolve;
            process.send!({ type: 'paused', stage });
        }));
        process.send!({ type: 'result', result }, () => { if (!reuse) process.exit(0); });
    } catch (err: any) {
        process.send!({ type: 'error', error: String(err?.stack ?? err) }, () => process.exit(1));
    }
}

process.on('message', (msg: ParentMessage) => {
    if ('startAt' in msg) {
        const start = onStart;
        onStart = null;
        start?.(msg.startAt);
    } else if ('resume' in msg) {
        const resume = onResume;
        onResume = null;
        resume?.();
    } else if ('stop' in msg) {
        process.exit(0);
    } else {
        void run(msg.task, msg.reuse);
    }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'loaded' });

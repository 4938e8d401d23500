// A benchmark worker process: gets one task from the parent over IPC, reports ready, waits for
// "go" (with the common start time), runs the task and sends back the result.
import { runTask, Task } from './tasks';

process.once('message', (task: Task) => {
    void run(task);
});

// Every failure is sent to the parent, which fails the run.
async function run(task: Task): Promise<void> {
    try {
        const result = await runTask(task, () => new Promise<number>(resolve => {
            process.once('message', (msg: any) => resolve(msg.startAt));
            process.send!({ type: 'ready' });
        }));
        process.send!({ type: 'result', result }, () => process.exit(0));
    } catch (err: any) {
        process.send!({ type: 'error', error: String(err?.stack ?? err) }, () => process.exit(1));
    }
}

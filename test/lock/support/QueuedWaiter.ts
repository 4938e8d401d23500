// Runs in its own process: queues a waiting acquire on a key and stays queued until the parent kills
// the process (SIGKILL), so the parent can see what a waiter that died leaves in Redis.
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../../../src/lock/RedisLock';

interface Job { host: string, port: number, key: string, retryTimeout: number }

// A failure (opening the lock) is printed and fails this process, for the parent to see.
process.once('message', (job: Job) => {
    queueUp(job).catch(err => { console.error(err); process.exit(1); });
});

async function queueUp(job: Job): Promise<void> {
    const lock = new RedisLock();
    lock.configure(ConfigParams.fromTuples('connection.host', job.host, 'connection.port', job.port,
        'options.retry_timeout', job.retryTimeout));
    await lock.open(null);
    lock.acquire(null, job.key, { timeout: 60000 }).catch(() => undefined);
    process.send!({ waiting: true });
}

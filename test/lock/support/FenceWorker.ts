// A second process for the fencing test: acquires the lock `cycles` times and, while holding it,
// appends the lease's fence to a list, so the parent can check the order across processes.
import { createClient } from 'redis';
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../../../src/lock/RedisLock';

interface Job { host: string; port: number; key: string; list: string; cycles: number }

// A failure the handler does not report (closing) is printed and fails this process, for the parent to see.
process.once('message', (job: Job) => {
    fenceCycles(job).catch(err => { console.error(err); process.exit(1); });
});

async function fenceCycles(job: Job): Promise<void> {
    const lock = new RedisLock();
    lock.configure(ConfigParams.fromTuples('connection.host', job.host, 'connection.port', job.port));
    const client = createClient({ socket: { host: job.host, port: job.port } });
    client.on('error', () => undefined);
    try {
        await lock.open(null);
        await client.connect();
        process.send!({ ready: true });
        await new Promise(resolve => process.once('message', resolve));
        for (let i = 0; i < job.cycles; i++) {
            const lease = await lock.acquire(null, job.key, { ttl: 5000, timeout: 10000 });
            await client.rPush(job.list, String(lease.fence));
            await lease.release();
        }
        process.send!({ done: true });
    } catch (err: any) {
        process.send!({ error: String(err?.stack ?? err) });
    } finally {
        client.destroy();
        await lock.close(null);
    }
}

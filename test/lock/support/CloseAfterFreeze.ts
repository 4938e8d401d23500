// Runs in its own process: a lock whose server froze and thawed, then closed. The process must then
// exit by itself; node-redis used to revive the closed client and keep pinging forever.
import { ConfigParams } from 'pip-services4-components-node';

import { RedisLock } from '../../../src/lock/RedisLock';
import { RedisServer } from '../../support/RedisServer';

(async () => {
    const server = await RedisServer.start();
    const lock = new RedisLock();
    lock.configure(ConfigParams.fromTuples('connection.host', server.host, 'connection.port', server.port,
        'options.command_timeout', 500, 'options.reconnect_max_delay', 50));
    await lock.open(null);
    server.pause();
    const err = await lock.tryAcquireLock(null, 'frozen-close', 1000).catch(e => e);
    server.resume();
    await lock.close(null);
    await server.stop();
    process.send!({ failedWith: err?.constructor?.name });
})().catch(err => { console.error(err); process.exit(1); });

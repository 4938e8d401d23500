/**
 * A second process for the getOrSet stampede test, forked by the test with child_process.fork.
 * It talks over IPC only:
 * - `{ type: 'open', config: [...tuples], endpoint }` → opens a RedisCache, answers `{ type: 'ready' }`;
 * - `{ type: 'burst', key, counter, gate, callers, value }` → starts `callers` getOrSet calls at
 *   once, answers `{ type: 'started' }` right away and `{ type: 'results', values, errors }` when
 *   they have all settled;
 * - `{ type: 'close' }` → closes everything and exits.
 */
import { ConfigParams } from 'pip-services4-components-node';

import { RedisCache } from '../../../src/cache/RedisCache';
import { StampedeProducer } from './StampedeProducer';

let cache: RedisCache | null = null;
let producer: StampedeProducer | null = null;

function send(message: any): void {
    process.send!(message);
}

// Failures are answered as `failed`; one that cannot be (the channel is gone) fails this process.
process.on('message', (message: any) => {
    handle(message).catch(err => { console.error(err); process.exit(1); });
});

async function handle(message: any): Promise<void> {
    try {
        if (message.type == 'open') {
            cache = new RedisCache();
            cache.configure(ConfigParams.fromTuples(...message.config));
            await cache.open(null);
            producer = await StampedeProducer.connect(message.endpoint);
            send({ type: 'ready' });
        } else if (message.type == 'burst') {
            const produce = producer!.producer(message.counter, message.gate, message.value);
            const calls = Array.from({ length: message.callers }, () => cache!.getOrSet(null, message.key, 10000, produce));
            send({ type: 'started' });
            const settled = await Promise.allSettled(calls);
            send({
                type: 'results',
                values: settled.filter(s => s.status == 'fulfilled').map(s => (s as PromiseFulfilledResult<any>).value),
                errors: settled.filter(s => s.status == 'rejected').map(s => String((s as PromiseRejectedResult).reason?.stack))
            });
        } else if (message.type == 'close') {
            producer?.close();
            await cache?.close(null);
            process.disconnect();
        }
    } catch (err: any) {
        send({ type: 'failed', error: String(err?.stack ?? err) });
    }
}

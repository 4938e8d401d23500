import { createClient } from 'redis';

/**
 * The producer the stampede tests give every caller, in every process: it counts its calls with
 * an INCR on a counter key, then blocks (BLPOP) on a gate key until the test opens the gate, so
 * every caller has missed before the first fill can finish. Each process needs its own client
 * for the BLPOP, which blocks the connection.
 */
export class StampedeProducer {
    private readonly _client: any;

    private constructor(client: any) {
        this._client = client;
    }

    public static async connect(endpoint: { host: string, port: number }): Promise<StampedeProducer> {
        const client = createClient({ socket: endpoint });
        client.on('error', () => undefined);
        await client.connect();
        return new StampedeProducer(client);
    }

    /** A producer counting on `counter`, waiting for `gate`, then giving `value`. */
    public producer(counter: string, gate: string, value: any): () => Promise<any> {
        return async () => {
            await this._client.incr(counter);
            await this._client.blPop(gate, 5);
            return value;
        };
    }

    public close(): void {
        this._client.destroy();
    }
}

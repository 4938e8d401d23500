import IORedis from 'ioredis';
import { createClient, createCluster } from 'redis';
import { AdapterOptions, ImplSpec, LockAdapter, randomToken, sleep } from './LockAdapter';

const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
const DEFAULT_DELAY = 10;

/** The floor: raw `SET k t NX PX` + one EVALSHA compare-and-delete; polls to wait. */
abstract class FloorAdapter implements LockAdapter {
    public abstract readonly id: string;
    protected sha = '';
    private readonly _tokens = new Map<string, string>();
    private readonly _delay: number;

    protected constructor(options: AdapterOptions) {
        this._delay = options.retryDelay ?? DEFAULT_DELAY;
    }
    public abstract open(): Promise<void>;
    public abstract close(): Promise<void>;
    protected abstract setNx(key: string, token: string, ttl: number): Promise<boolean>;
    protected abstract evalSha(key: string, token: string): Promise<unknown>;

    public async tryAcquire(key: string, ttl: number): Promise<boolean> {
        const token = randomToken();
        if (!await this.setNx(key, token, ttl)) return false;
        this._tokens.set(key, token);
        return true;
    }
    public async acquire(key: string, ttl: number, timeout: number): Promise<void> {
        const deadline = Date.now() + timeout;
        while (!await this.tryAcquire(key, ttl)) {
            if (Date.now() + this._delay > deadline) throw new Error('LOCK_TIMEOUT ' + key);
            await sleep(this._delay);
        }
    }
    public async release(key: string): Promise<void> {
        const token = this._tokens.get(key);
        if (token == null) return;
        this._tokens.delete(key);
        await this.evalSha(key, token);
    }
}

/**
 * Through node-redis 6 (RESP3 by default, as this library uses it). On a cluster (S2c) through
 * `createCluster`, whose SET and EVALSHA go to the master of their key's slot.
 */
class NodeRedisFloor extends FloorAdapter {
    public readonly id: string = 'floor-nr';
    private readonly _client: any;
    private readonly _cluster: boolean;

    /**
     * @param options           where Redis is.
     * @param commandOptions    (optional) node-redis command options; none: node-redis' defaults.
     */
    public constructor(options: AdapterOptions, commandOptions?: { timeout: number }) {
        super(options);
        this._cluster = options.clusterNodes != null;
        const settings = commandOptions != null ? { commandOptions } : {};
        this._client = options.clusterNodes == null
            ? createClient({ socket: { host: options.host, port: options.port }, ...settings })
            : createCluster({ rootNodes: options.clusterNodes.map(node => ({ socket: node })), ...settings });
        this._client.on('error', () => undefined);
    }
    public async open(): Promise<void> {
        await this._client.connect();
        if (!this._cluster) {
            this.sha = await this._client.scriptLoad(RELEASE_LUA);
            return;
        }
        // A raw EVALSHA finds the script only on a master that loaded it, and any master may serve a key.
        const shas = await Promise.all(this._client.masters.map(async (master: any) =>
            (await this._client.nodeClient(master)).scriptLoad(RELEASE_LUA)));
        this.sha = shas[0];
    }
    public async close(): Promise<void> { await this._client.close(); }
    protected async setNx(key: string, token: string, ttl: number): Promise<boolean> {
        return (await this._client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttl } })) != null;
    }
    protected evalSha(key: string, token: string): Promise<unknown> {
        return this._client.evalSha(this.sha, { keys: [key], arguments: [token] });
    }
}

/**
 * The node-redis floor with node-redis' per-command timer off (`commandOptions.timeout: 0`; its
 * default arms an `AbortSignal.timeout` of 5 s per command), as this library runs its clients: the
 * floor the issue's S1 and S2 targets name. S1 and S2 only.
 */
class NodeRedisFloorWithoutTimer extends NodeRedisFloor {
    public readonly id = 'floor-nr-nt';
    public constructor(options: AdapterOptions) {
        super(options, { timeout: 0 });
    }
}

/** Through ioredis 6. */
class IORedisFloor extends FloorAdapter {
    public readonly id = 'floor-io';
    private readonly _client: any;

    public constructor(options: AdapterOptions) {
        super(options);
        this._client = new IORedis({ host: options.host, port: options.port, lazyConnect: true });
    }
    public async open(): Promise<void> {
        await this._client.connect();
        this.sha = await this._client.script('LOAD', RELEASE_LUA);
    }
    public async close(): Promise<void> { await this._client.quit(); }
    protected async setNx(key: string, token: string, ttl: number): Promise<boolean> {
        return (await this._client.set(key, token, 'PX', ttl, 'NX')) != null;
    }
    protected evalSha(key: string, token: string): Promise<unknown> {
        return this._client.evalsha(this.sha, 1, key, token);
    }
}

export const floorNodeRedis: ImplSpec = {
    id: 'floor-nr',
    label: 'floor, node-redis 6',
    waiting: d => `polls every ${d ?? DEFAULT_DELAY} ms`,
    available: () => true,
    create: options => new NodeRedisFloor(options)
};

export const floorNodeRedisWithoutTimer: ImplSpec = {
    id: 'floor-nr-nt',
    label: 'floor, node-redis 6, command timer off',
    waiting: d => `polls every ${d ?? DEFAULT_DELAY} ms`,
    available: () => true,
    create: options => new NodeRedisFloorWithoutTimer(options)
};

export const floorIORedis: ImplSpec = {
    id: 'floor-io',
    label: 'floor, ioredis',
    waiting: d => `polls every ${d ?? DEFAULT_DELAY} ms`,
    available: () => true,
    create: options => new IORedisFloor(options)
};

import { createClient } from 'redis';

import { ResourceAttempt } from './ChaosEvents';

/**
 * The resource the chaos workers protect with their locks: a second Redis, never faulted, that
 * accepts a write for a key only with a fence no lower than the highest it accepted for that key,
 * the way a real resource should use `lease.fence`.
 *
 * Rule (atomic, in one Lua script on the resource server):
 * - a fence strictly greater than the highest accepted for the key is accepted (a new holder);
 * - a fence equal to it is accepted only from the token that wrote it (the same holder writing again);
 * - anything else is refused as stale.
 * Every attempt, accepted or not, is appended to one history list with the server's time and what
 * the writer's lease said right before the write, for the checker.
 */
export class FencedResource {
    /** The history list: one JSON entry per write attempt, in execution order. */
    public static readonly HISTORY_KEY = 'chaos:history';

    // KEYS: the key's fence state (hash: fence, token), the history list.
    // ARGV: key, token, fence, worker, step, held, aborted, checkedAt, expiresAt.
    // Numbers travel as strings: cjson would print a 16-digit fence with 14 significant digits.
    private static readonly WRITE_LUA = `
local t = redis.call('TIME')
local fence = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'fence', 'token')
local accepted
if not state[1] then
  accepted = true
else
  local top = tonumber(state[1])
  accepted = fence > top or (fence == top and ARGV[2] == state[2])
end
if accepted then redis.call('HSET', KEYS[1], 'fence', ARGV[3], 'token', ARGV[2]) end
redis.call('RPUSH', KEYS[2], cjson.encode({
  t = t[1] .. string.format('%06d', tonumber(t[2])), k = ARGV[1], tk = ARGV[2], f = ARGV[3], w = ARGV[4],
  s = ARGV[5], h = ARGV[6], ab = ARGV[7], c = ARGV[8], e = ARGV[9], a = accepted and '1' or '0'
}))
if accepted then return 1 end
return 0
`;

    private readonly _client: any;
    private _sha = '';

    private constructor(client: any) {
        this._client = client;
    }

    /**
     * Connects to the resource server and loads the write script.
     *
     * @param host  the resource server's host.
     * @param port  its port.
     * @returns a connected resource.
     */
    public static async connect(host: string, port: number): Promise<FencedResource> {
        const client = createClient({ socket: { host, port } });
        // The resource is never faulted; an error here is a harness failure, surfaced by the commands.
        client.on('error', () => undefined);
        await client.connect();
        const resource = new FencedResource(client);
        resource._sha = await client.scriptLoad(FencedResource.WRITE_LUA);
        return resource;
    }

    /**
     * Writes for a key with a fence, recording the attempt.
     *
     * @param attempt   who writes what, and what the writer's lease said right before.
     * @returns true when the resource accepted the write, false when it refused it as stale.
     */
    public async write(attempt: {
        key: string; token: string; fence: number; worker: string; step: number;
        held: boolean; aborted: boolean; checkedAt: number; expiresAt: number;
    }): Promise<boolean> {
        const reply = await this._client.evalSha(this._sha, {
            keys: ['chaos:fence:' + attempt.key, FencedResource.HISTORY_KEY],
            arguments: [attempt.key, attempt.token, String(attempt.fence), attempt.worker, String(attempt.step),
                attempt.held ? '1' : '0', attempt.aborted ? '1' : '0', String(attempt.checkedAt),
                String(attempt.expiresAt)]
        });
        return Number(reply) === 1;
    }

    /**
     * Reads the whole history, in the order the resource executed the attempts.
     *
     * @returns every write attempt.
     */
    public async history(): Promise<ResourceAttempt[]> {
        const total: number = await this._client.lLen(FencedResource.HISTORY_KEY);
        const attempts: ResourceAttempt[] = [];
        const chunk = 10000;
        for (let start = 0; start < total; start += chunk) {
            const entries: string[] = await this._client.lRange(FencedResource.HISTORY_KEY, start, start + chunk - 1);
            for (const entry of entries) {
                const e = JSON.parse(entry);
                attempts.push({
                    seq: attempts.length,
                    serverTime: Number(e.t),
                    key: e.k,
                    token: e.tk,
                    fence: Number(e.f),
                    worker: e.w,
                    step: Number(e.s),
                    held: e.h === '1',
                    aborted: e.ab === '1',
                    checkedAt: Number(e.c),
                    expiresAt: Number(e.e),
                    accepted: e.a === '1'
                });
            }
        }
        return attempts;
    }

    /** Closes the connection. */
    public async close(): Promise<void> {
        try {
            await this._client.close();
        } catch {
            this._client.destroy();
        }
    }
}

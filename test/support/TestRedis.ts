import { ConfigParams } from 'pip-services4-components-node';
import { RedisServer } from './RedisServer';

let shared: Promise<{ host: string; port: number }> | null = null;

/**
 * The Redis the tests share: REDIS_SERVICE_HOST/REDIS_SERVICE_PORT when set (as in
 * docker-compose.test.yml), otherwise a throwaway redis-server this process starts once.
 */
export class TestRedis {
    /** Host and port of the shared test Redis. */
    public static endpoint(): Promise<{ host: string; port: number }> {
        shared ??= TestRedis.locate();
        return shared;
    }

    /**
     * Configuration for a component talking to the shared test Redis.
     *
     * @param tuples    extra key/value pairs (e.g. "options.retry_timeout", 50).
     */
    public static async config(...tuples: any[]): Promise<ConfigParams> {
        const { host, port } = await TestRedis.endpoint();
        return ConfigParams.fromTuples('connection.host', host, 'connection.port', port, ...tuples);
    }

    /** A key no other test or run uses. */
    public static uniqueKey(prefix: string): string {
        return prefix + ':' + process.pid + ':' + Date.now().toString(36) + ':' + Math.random().toString(36).slice(2, 8);
    }

    private static async locate(): Promise<{ host: string; port: number }> {
        const host = process.env.REDIS_SERVICE_HOST;
        if (host) return { host, port: Number(process.env.REDIS_SERVICE_PORT ?? 6379) };
        const server = await RedisServer.start();
        return { host: server.host, port: server.port };
    }
}

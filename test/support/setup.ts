import { RedisServer } from './RedisServer';

// Any unhandled rejection or uncaught exception fails the test during which it happened: the
// library promises never to produce one, whatever Redis does.
const escaped: any[] = [];
process.on('unhandledRejection', err => { escaped.push(err); });

export const mochaHooks = {
    beforeAll: function redisServerCanRun(): void {
        // Nearly every suite starts a redis-server of its own (even with REDIS_SERVICE_HOST set), so
        // a missing binary is checked once, here: one failure that says what to install, and mocha
        // then runs no suite at all, instead of every suite failing (and its teardown tripping over
        // what its setup never made).
        RedisServer.binary();
    },
    afterEach(): void {
        if (escaped.length > 0) {
            const errors = escaped.splice(0);
            throw new Error('Unhandled rejection during this test: ' + errors.map(e => e?.stack ?? e).join('\n'));
        }
    },
    async afterAll(): Promise<void> {
        await RedisServer.stopAll();
    }
};

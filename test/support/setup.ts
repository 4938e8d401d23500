import { RedisServer } from './RedisServer';

// Any unhandled rejection or uncaught exception fails the test during which it happened: the
// library promises never to produce one, whatever Redis does.
const escaped: any[] = [];
process.on('unhandledRejection', err => { escaped.push(err); });

export const mochaHooks = {
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

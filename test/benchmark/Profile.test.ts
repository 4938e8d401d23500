import { assert } from 'chai';
import { execFile } from 'child_process';
import { resolve } from 'path';

// obj/test/benchmark/Profile.test.js → obj/benchmark/profile.js
const PROFILE = resolve(__dirname, '..', '..', 'benchmark', 'profile.js');
const VARIANTS = ['nr-resp3-options', 'nr-resp2-options', 'nr-resp3-script', 'nr-resp3-notimeout',
    'nr-resp3-sendCommand', 'nr-resp2-sendCommand', 'ours-try', 'ours-acquire', 'ioredis'];

suite('benchmark/profile', () => {
    test('every variant runs the lock scripts with the keys they take, and releases every lock it took', async function () {
        this.timeout(120000);
        // All variants, 100 cycles each, one round; the profile starts its own throwaway server
        // and exits 1 when a variant fails or leaves a lock behind.
        const { code, output } = await new Promise<{ code: number | null; output: string }>(done => {
            execFile(process.execPath, [PROFILE, VARIANTS.join(','), '100', '1'], { timeout: 110000 },
                (err: any, stdout, stderr) => done({ code: err == null ? 0 : err.code ?? null, output: stdout + stderr }));
        });
        assert.equal(code, 0, output);
        for (const name of VARIANTS) {
            assert.match(output, new RegExp('^' + name + ' +median [1-9][0-9]* cycles/s', 'm'), output);
        }
    });
});

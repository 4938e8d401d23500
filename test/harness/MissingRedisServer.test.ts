import { assert } from 'chai';
import { execFile } from 'child_process';
import { join, resolve } from 'path';

// obj/test/harness/MissingRedisServer.test.js → the repository root.
const ROOT = resolve(__dirname, '..', '..', '..');
const MISSING = join(ROOT, 'obj', 'no-such-dir', 'redis-server');
const INSTALL_HINT = 'apt-get install -y redis-server';

/** Runs the project's mocha (its .mocharc.json: every suite) in a child process. */
function mocha(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise(done => {
        execFile(process.execPath, [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--reporter', 'spec'],
            { cwd: ROOT, env, timeout: 60000, maxBuffer: 16 * 1024 * 1024 }, (err: any, stdout, stderr) => {
                done({ code: err == null ? 0 : (typeof err.code === 'number' ? err.code : null), output: stdout + stderr });
            });
    });
}

suite('Test harness without redis-server', () => {
    test('a missing redis-server is one failure naming the binary and what to install, and no suite runs', async () => {
        const { code, output } = await mocha({ ...process.env, REDIS_SERVER_BIN: MISSING });

        assert.notEqual(code, 0, 'mocha must fail:\n' + output);
        assert.equal(output.split(INSTALL_HINT).length - 1, 1, 'the install hint once:\n' + output);
        assert.include(output, MISSING, 'the message names the binary it tried');
        assert.include(output, 'REDIS_SERVER_BIN');
        assert.match(output, /^\s*0 passing/m, output);
        assert.match(output, /^\s*1 failing/m, output);
        assert.include(output, '"before all" hook: redisServerCanRun in "{root}"', 'blamed on the harness, not a suite');
        assert.notInclude(output, 'TypeError', 'no teardown trips over what its setup never made');
    });
});

import { assert } from 'chai';
import { execFile } from 'child_process';
import { resolve } from 'path';

// obj/test/example/Demo.test.js → obj/example/demo.js
const DEMO = resolve(__dirname, '..', '..', 'example', 'demo.js');

/** Runs the demo as `npm run demo` does (after the build), in a child process. */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise(done => {
        // Its own throwaway redis-server, or the Redis of REDIS_SERVICE_HOST when the suite runs against one.
        execFile(process.execPath, [DEMO], { timeout: 90000 }, (err: any, stdout, stderr) => {
            done({ code: err == null ? 0 : (typeof err.code === 'number' ? err.code : null), stdout, stderr });
        });
    });
}

/** The timeline's acquisitions and releases, in the order printed: `{ at, worker, kind }`. */
function replay(stdout: string): { at: number; worker: number; kind: 'acquired' | 'releases' }[] {
    const events: { at: number; worker: number; kind: 'acquired' | 'releases' }[] = [];
    for (const line of stdout.split('\n')) {
        const m = /^ *(\d+) {2}w(\d+) (.*)$/.exec(line);
        if (m == null) continue;
        if (/^(woken by w\d+'s release after \d+ ms, )?acquired/.test(m[3])) events.push({ at: +m[1], worker: +m[2], kind: 'acquired' });
        else if (m[3] == 'releases') events.push({ at: +m[1], worker: +m[2], kind: 'releases' });
    }
    return events;
}

suite('npm run demo', () => {
    test('its timeline shows waiters woken by the release, no overlap, and it leaves no key without a TTL', async function () {
        this.timeout(120000);
        const { code, stdout, stderr } = await runDemo();
        const output = stdout + stderr;

        assert.equal(code, 0, output);
        assert.match(stdout, /^ *\d+ {2}w\d+ woken by w\d+'s release after \d+ ms, acquired/m, output);
        assert.match(stdout, /^OK: 12 acquisitions by 4 workers/m, output);
        assert.notMatch(output, /FAIL|OVERLAP|without a TTL/, output);
        assert.match(stdout, /^Keys the demo left in Redis: /m, output);

        // The test's own replay of the printed timeline: every acquisition finds the lock free.
        const events = replay(stdout);
        assert.lengthOf(events.filter(e => e.kind == 'acquired'), 12, output);
        let holder: number | null = null;
        for (const event of events) {
            if (event.kind == 'acquired') {
                assert.isNull(holder, 'w' + event.worker + ' acquired at ' + event.at + ' ms while w' + holder + ' held the lock');
                holder = event.worker;
            } else {
                assert.equal(event.worker, holder, 'w' + event.worker + ' released a lock it did not hold at ' + event.at + ' ms');
                holder = null;
            }
        }
        for (let i = 1; i < events.length; i++) assert.isAtLeast(events[i].at, events[i - 1].at, 'the timeline is in time order');
    });
});

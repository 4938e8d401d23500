import { assert } from 'chai';
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

// obj/test/observability/CounterNames.test.js → the repository root.
const ROOT = resolve(__dirname, '..', '..', '..');

// Which component names prefix the counters each source file records.
const SOURCES: [string, string[]][] = [
    ['src/lock/RedisLock.ts', ['redis_lock']],
    ['src/cache/RedisCache.ts', ['redis_cache']],
    ['src/connect/RedisConnection.ts', ['redis_lock', 'redis_cache']]
];
const LOSS_REASONS = ['expired', 'not_held', 'renewal_failed', 'max_hold'];

/** Every counter name the source records: `increment('x')`/`time('x')` calls, prefixed by component. */
function recordedNames(): Set<string> {
    const names = new Set<string>();
    for (const [file, components] of SOURCES) {
        const source = readFileSync(join(ROOT, file), 'utf8');
        const suffixes: string[] = [];
        for (const match of source.matchAll(/\.(?:increment|time)\(\s*'([a-z_.]+)'(\s*\+)?/g)) {
            if (match[2] != null) {
                assert.strictEqual(match[1], 'lease.lost.', file + ': an unexpected computed counter name');
                suffixes.push(...LOSS_REASONS.map(reason => match[1] + reason));
            } else {
                suffixes.push(match[1]);
            }
        }
        assert.isNotEmpty(suffixes, file + ' records no counter: the pattern no longer matches the code');
        for (const component of components) for (const suffix of suffixes) names.add(component + '.' + suffix);
    }
    return names;
}

/** Every counter name in the first column of the README's Observability → Counters table. */
function documentedNames(): Set<string> {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('\n### Counters\n', readme.indexOf('\n## Observability\n'));
    assert.isAbove(start, 0, 'README.md has no Observability → Counters section');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const names = new Set<string>();
    for (const line of section.split('\n').filter(l => l.startsWith('| `'))) {
        for (const match of line.split('|')[1].matchAll(/`([a-z_.*<>]+)`/g)) names.add(match[1]);
    }
    return names;
}

suite('Counter names', () => {
    test('the README\'s counter table lists exactly the counters the code records', () => {
        const recorded = recordedNames();
        const documented = documentedNames();
        for (const name of recorded) assert.isTrue(documented.has(name), name + ' is recorded but not in the README');
        for (const name of documented) {
            if (name == 'redis_cache.fill_lock.*') continue;   // the redis_lock.* names under the fill lock's name
            assert.isTrue(recorded.has(name), name + ' is in the README but never recorded');
        }
    });
});

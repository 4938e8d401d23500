import { assert } from 'chai';
import { execFile } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { createClient } from 'redis';
import * as ts from 'typescript';

import { TestRedis } from './support/TestRedis';

// obj/test/README.test.js → the repository root.
const ROOT = resolve(__dirname, '..', '..');
const HEADING = '## Node script';

/** The first ```typescript block after the "Node script" heading of README.md. */
function readmeExample(): string {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const at = readme.indexOf('\n' + HEADING + '\n');
    assert.isAtLeast(at, 0, 'README.md has no "' + HEADING + '" heading');
    const block = /```typescript\n([\s\S]*?)```/.exec(readme.slice(at));
    assert.isNotNull(block, 'no ```typescript block under "' + HEADING + '"');
    return block![1];
}

/** Replaces the literal host and port, and only them, failing if either is not found exactly once. */
function pointAt(source: string, host: string, port: number): string {
    const hostLiteral = /"host",\s*"localhost"/g;
    const portLiteral = /"port",\s*6379\b/g;
    assert.lengthOf(source.match(hostLiteral) ?? [], 1, 'the example sets "host", "localhost" once');
    assert.lengthOf(source.match(portLiteral) ?? [], 1, 'the example sets "port", 6379 once');
    return source
        .replace(hostLiteral, '"host", ' + JSON.stringify(host))
        .replace(portLiteral, '"port", ' + port);
}

function run(file: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise(done => {
        execFile(process.execPath, [file], { cwd, timeout: 15000 }, (err: any, stdout, stderr) => {
            done({ code: err == null ? 0 : (typeof err.code === 'number' ? err.code : null), stdout, stderr });
        });
    });
}

suite('README', () => {
    let dir: string;

    setup(() => {
        // Inside obj/, so the toolkit packages resolve from the repository's node_modules; the
        // package itself resolves through a node_modules symlink to the repository root (main: obj/src).
        mkdirSync(join(ROOT, 'obj'), { recursive: true });
        dir = mkdtempSync(join(ROOT, 'obj', 'readme-'));
        mkdirSync(join(dir, 'node_modules'));
        symlinkSync(ROOT, join(dir, 'node_modules', 'pip-services4-redis-node'), 'dir');
    });

    teardown(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    test('the Node script example runs as written and takes and releases the lock', async () => {
        const { host, port } = await TestRedis.endpoint();
        const source = pointAt(readmeExample(), host, port);
        const output = ts.transpileModule(source, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
            reportDiagnostics: true
        });
        assert.lengthOf(output.diagnostics ?? [], 0, 'the example does not parse');
        const file = join(dir, 'example.js');
        writeFileSync(file, output.outputText);

        const client = createClient({ socket: { host, port } });
        client.on('error', () => undefined);
        await client.connect();
        try {
            assert.equal(await client.exists('key1'), 0, 'key1 must be free before the example runs');

            const result = await run(file, dir);
            assert.equal(result.code, 0, 'the example exits with 0; stderr:\n' + result.stderr);
            assert.match(result.stdout, /key1 acquired\n[\s\S]*key1 released/, 'the example took and released the lock');
            assert.equal(await client.exists('key1'), 0, 'the example left the lock free');
        } finally {
            await client.del('key1');
            await client.close();
        }
    });
});

import { assert } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'path';

// obj/test/docs/DocumentLinks.test.js → the repository root.
const ROOT = resolve(__dirname, '..', '..', '..');
const SKIP = new Set(['node_modules', 'obj', '.git']);

/** Every Markdown file of the repository (its own, not dependencies' or build output). */
function markdownFiles(dir: string = ROOT): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (SKIP.has(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) found.push(...markdownFiles(path));
        else if (entry.name.endsWith('.md')) found.push(path);
    }
    return found;
}

/** True when `path` is the repository root or inside it. */
function inside(path: string): boolean {
    const rel = relative(ROOT, path);
    return rel == '' || (!rel.startsWith('..' + sep) && rel != '..' && !isAbsolute(rel));
}

/**
 * What in a Markdown file points at something a reader of the repository cannot open: a link to a
 * file that does not exist or lies outside the repository, or a file path (in backticks) outside
 * it: a `../x/y.md` that is no file of the repository, or an absolute path to a document or source file.
 */
function deadReferences(file: string, text: string): string[] {
    const problems: string[] = [];
    for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]));
        if (!inside(path)) problems.push(`link ${target} leaves the repository`);
        else if (!existsSync(path)) problems.push(`link ${target}: no such file`);
    }
    for (const m of text.matchAll(/`([^`\s]+)`/g)) {
        const path = m[1];
        if (isAbsolute(path) && /\.(md|ts|js|sh|json|ya?ml)$/.test(path)) problems.push(`absolute path ${path}`);
        else if (path.startsWith('../')) {
            // Read from the file's folder or from the repository root: either must be a file of the repository.
            const found = [resolve(dirname(file), path), resolve(ROOT, path)].some(p => inside(p) && existsSync(p));
            if (!found) problems.push(`path ${path} is not a file of the repository`);
        }
    }
    return problems;
}

suite('Documents', () => {
    test('every Markdown file links only to files of the repository', () => {
        const files = markdownFiles();
        assert.includeMembers(files.map(f => relative(ROOT, f)), ['README.md', 'CHANGELOG.md', join('test', 'peers', 'README.md')]);
        const problems = files.flatMap(f => deadReferences(f, readFileSync(f, 'utf8')).map(p => relative(ROOT, f) + ': ' + p));
        assert.deepEqual(problems, []);
    });

    test('the check finds links and paths that leave the repository or lead nowhere', () => {
        const readme = join(ROOT, 'test', 'peers', 'README.md');
        assert.deepEqual(deadReferences(readme, 'They follow `/work/shared/reference/pip-services4-contract.md` §0–3.'),
            ['absolute path /work/shared/reference/pip-services4-contract.md']);
        assert.deepEqual(deadReferences(readme, 'built with `../shared/tools/build-realkit.sh`'),
            ['path ../shared/tools/build-realkit.sh is not a file of the repository']);
        assert.deepEqual(deadReferences(readme, '[contract](../../../shared/contract.md), [x](missing.md), [ok](../../README.md)'),
            ['link ../../../shared/contract.md leaves the repository', 'link missing.md: no such file']);
    });
});

import { assert } from 'chai';
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join, posix } from 'path';

import { TestRedis } from '../support/TestRedis';
import { ConsumerProject, ProcessResult } from './support/ConsumerProject';
import { ConsumerGraphs } from './support/ConsumerGraphs';
import { PackedSet, PackedTarballs } from './support/PackedTarballs';
import { PublicTypings } from './support/PublicTypings';

const PACKAGE = 'pip-services4-redis-node';
// What a user needs from the root (issue 9): the components, the lease, and the factory.
const USER_CLASSES = ['DefaultRedisFactory', 'LockLease', 'RedisCache', 'RedisLock'];
// Internals that 0.1.0 exported from the root.
const INTERNALS = ['ReleaseNotifier', 'ReleaseWaiter', 'TraceId', 'RedisArguments', 'RedisErrors', 'LockKeys',
    'CacheCodec', 'FillLockKey', 'RedisConnection', 'RedisConnectionResolver'];
// Types a user needs from the root besides the classes.
const USER_TYPES = ['LeaseLossReason', 'LockAcquireOptions'];
// Type-only internals that 0.1.0 declared at the root.
const INTERNAL_TYPES = ['RedisCommands', 'RedisEndpoint', 'WaitOutcome'];
const DOCUMENTS = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];

/** The last line of a consumer program's output: its JSON report. */
function reportOf(result: ProcessResult): any {
    assert.equal(result.code, 0, 'the consumer program failed:\n' + result.stderr + result.stdout);
    const lines = result.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
}

/** tsc's diagnostics, one per line, for assertion messages. */
function diagnostics(result: ProcessResult): string {
    return (result.stdout + result.stderr).trim();
}

suite('Package: the packed tarball', function () {
    this.timeout(120000);
    let packed: PackedSet;
    let unpacked: string;

    suiteSetup(async function () {
        this.timeout(120000);
        packed = await ConsumerGraphs.shared().packed;
        unpacked = PackedTarballs.tempDir('redis-node-unpacked-');
        const tar = spawnSync('tar', ['-xzf', packed.project.file, '-C', unpacked], { encoding: 'utf8' });
        assert.equal(tar.status, 0, 'tar failed: ' + tar.stderr);
        unpacked = join(unpacked, 'package');
    });

    test('ships only compiled sources, their typings, the documents and package.json', () => {
        const misplaced = packed.project.files.filter(path =>
            !DOCUMENTS.includes(path) && !/^obj\/src\/.+\.(js|d\.ts)(\.map)?$/.test(path));
        assert.deepEqual(misplaced, [], 'files that do not belong in the tarball');
        const fromElsewhere = packed.project.files.filter(path => /(^|\/)(test|chaos|benchmark|example)\//.test(path));
        assert.deepEqual(fromElsewhere, [], 'test, chaos, benchmark or example files in the tarball');
        for (const document of DOCUMENTS) assert.include(packed.project.files, document);
        assert.include(packed.project.files, 'obj/src/index.js');
        assert.include(packed.project.files, 'obj/src/index.d.ts');
    });

    test('ships no compiled file whose source is gone (a stale obj/)', () => {
        const stale = packed.project.files
            .filter(path => /^obj\/src\/.+\.js$/.test(path))
            .filter(path => !existsSync(join(PackedTarballs.root, path.replace(/^obj\//, '').replace(/\.js$/, '.ts'))));
        assert.deepEqual(stale, [], 'compiled files without a source in src/ (rebuild obj/ from scratch before packing)');
    });

    test('ships source maps only together with their sources', () => {
        const shipped = new Set(packed.project.files);
        const broken: string[] = [];
        for (const path of packed.project.files.filter(p => p.endsWith('.map'))) {
            const map = JSON.parse(readFileSync(join(unpacked, path), 'utf8'));
            (map.sources as string[]).forEach((source, index) => {
                const target = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
                if (map.sourcesContent?.[index] == null && !shipped.has(target)) broken.push(path + ' -> ' + target);
            });
        }
        assert.deepEqual(broken, [], broken.length + ' source maps point at sources that are not in the tarball '
            + '(ship no maps, or inline the sources)');
    });

    test('package.json says where the repository, home page and issue tracker are', () => {
        const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
        assert.isOk(manifest.repository, 'no "repository"');
        assert.isOk(manifest.homepage, 'no "homepage"');
        assert.isOk(manifest.bugs, 'no "bugs"');
    });

    test('package.json has an exports map with the root entry', () => {
        const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
        assert.isOk(manifest.exports, 'no "exports": every obj/src/... file is importable, and so API under semver');
        assert.isOk(typeof manifest.exports === 'string' || manifest.exports['.'] != null, 'the exports map has no "." entry');
    });

    test('the stand-in workspaces pack with their compiled code', () => {
        assert.deepEqual(packed.notes, [], 'stand-ins whose own npm pack leaves out the code');
    });
});

suite('Package: a consumer compiled against the tarball', function () {
    this.timeout(180000);
    let consumer: ConsumerProject;
    let commonJs: ProcessResult;
    let esm: ProcessResult;
    let typings: PublicTypings;
    let exportsMap: boolean;
    const env: Record<string, string> = {};

    suiteSetup(async function () {
        this.timeout(180000);
        const [redis, usage] = await Promise.all([TestRedis.endpoint(), ConsumerGraphs.shared().usage]);
        consumer = usage.project;
        commonJs = usage.commonJs;
        esm = usage.esm!;
        env.REDIS_HOST = redis.host;
        env.REDIS_PORT = String(redis.port);
        env.KEY_PREFIX = TestRedis.uniqueKey('consumer');
        const packageDir = join(consumer.dir, 'node_modules', PACKAGE);
        typings = new PublicTypings(packageDir);
        exportsMap = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).exports != null;
    });

    test('compiles as CommonJS (strict, no esModuleInterop, no skipLibCheck)', () => {
        assert.equal(commonJs.code, 0, 'tsc failed:\n' + diagnostics(commonJs));
    });

    test('compiles as ESM (module and moduleResolution nodenext, no skipLibCheck)', () => {
        assert.equal(esm.code, 0, 'tsc failed:\n' + diagnostics(esm));
    });

    test('the root declares what a user needs and no internals', () => {
        for (const name of [...USER_CLASSES, ...USER_TYPES]) assert.include(typings.rootExports, name);
        const internals = typings.rootExports.filter(name => INTERNALS.includes(name) || INTERNAL_TYPES.includes(name));
        assert.deepEqual(internals, [], 'internals declared at the root; all ' + typings.rootExports.length + ': '
            + typings.rootExports.join(', '));
    });

    test('public typings use no node-redis type', () => {
        assert.deepEqual(typings.nodeRedis.map(f => f.at + ': ' + f.text), [],
            'node-redis types in the declaration files a consumer reaches');
    });

    test('public typings contain no any', () => {
        assert.deepEqual(typings.anys.map(f => f.at + ': ' + f.text), [],
            typings.anys.length + ' `any` in the declaration files a consumer reaches');
    });

    for (const form of ['cjs', 'esm']) {
        suite('the ' + (form == 'cjs' ? 'CommonJS' : 'ESM') + ' build, run against Redis', () => {
            let report: any;

            suiteSetup(async function () {
                this.timeout(60000);
                // tsc emits even when it reports type errors: the run tests the entry points regardless.
                assert.isTrue(existsSync(join(consumer.dir, form, 'out', 'main.js')), 'tsc emitted nothing');
                // Each form its own keys: the second run must fill the cache again.
                report = reportOf(await consumer.node(join(form, 'out', 'main.js'), { ...env, KEY_PREFIX: env.KEY_PREFIX + ':' + form }));
            });

            test('the root exports what a user needs and no internals', () => {
                for (const name of USER_CLASSES) assert.include(report.rootExports, name);
                const internals = report.rootExports.filter((name: string) => INTERNALS.includes(name));
                assert.deepEqual(internals, [], 'internals exported from the root; all exports: ' + report.rootExports.join(', '));
            });

            test('the factory creates a lock, and the lease works', () => {
                assert.equal(report.lockLocator, 'pip-services:lock:redis:*:1.0');
                assert.equal(report.cacheLocator, 'pip-services:cache:redis:*:1.0');
                assert.isTrue(report.createdIsRedisLock);
                assert.isAbove(report.fence, 0);
                assert.isTrue(report.heldAfterAcquire);
                assert.equal(report.busyCode, 'LOCK_TIMEOUT');
                assert.isTrue(report.released);
                assert.isFalse(report.heldAfterRelease);
                assert.isAbove(report.withLockFence, report.fence);
            });

            test('a lease left to expire is lost, with its reason', () => {
                assert.equal(report.lossReason, 'expired');
                assert.isFalse(report.heldAfterLoss);
                assert.equal(report.extendLostCode, 'LOCK_NOT_HELD');
            });

            test('getOrSet fills once and returns the value', () => {
                assert.deepEqual(report.first, { id: 7, tags: ['a', 'b'] });
                assert.deepEqual(report.tags, ['a', 'b']);
                assert.equal(report.produced, 1);
            });

            test('a deep import of obj/src is refused (exports map)', function () {
                if (!exportsMap) this.skip();
                assert.isFalse(report.deepImport.loaded, 'pip-services4-redis-node/obj/src/lock/LockKeys.js loaded');
                assert.equal(report.deepImport.code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
            });
        });
    }
});

import { assert } from 'chai';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { RedisServer } from '../support/RedisServer';
import { TestRedis } from '../support/TestRedis';
import { COMPONENTS, ConsumerGraphs } from './support/ConsumerGraphs';
import { ConsumerProject, ProcessResult } from './support/ConsumerProject';

function reportOf(result: ProcessResult): any {
    assert.equal(result.code, 0, 'the consumer program failed:\n' + result.stderr + result.stdout);
    const lines = result.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
}

suite('Package: an install where config and logic have their own copy of components', function () {
    this.timeout(180000);
    let server: RedisServer | null = null;
    let consumer: ConsumerProject;
    let compiled: ProcessResult;
    let report: any;

    suiteSetup(async function () {
        this.timeout(180000);
        const [started, duplicate] = await Promise.all([
            RedisServer.start({ user: { name: 'svc', password: 'dup-graph-secret' } }),
            ConsumerGraphs.shared().duplicate
        ]);
        server = started;
        consumer = duplicate.project;
        compiled = duplicate.commonJs;
        assert.isTrue(existsSync(join(consumer.dir, 'dup', 'out', 'main.js')), 'tsc emitted nothing:\n' + compiled.stdout);
        report = reportOf(await consumer.node('dup/out/main.js', {
            REDIS_HOST: server.host, REDIS_PORT: String(server.port),
            REDIS_USER: 'svc', REDIS_PASSWORD: 'dup-graph-secret', KEY_PREFIX: TestRedis.uniqueKey('dup')
        }));
    });

    suiteTeardown(async () => {
        await server?.stop();
    });

    test('the graph: service and library share the top-level copy; config and logic each load their own', () => {
        const { service, library, config, logic } = report.copies;
        assert.equal(library.path, service.path);
        assert.equal(service.version, '0.0.6');
        for (const own of [config, logic]) {
            assert.equal(own.version, '0.0.5');
            assert.notEqual(own.path, service.path);
        }
        assert.notEqual(config.path, logic.path);
    });

    test('instanceof fails across copies; descriptors still match each other by constructor name', () => {
        assert.isFalse(report.crossCopy.configParamsInstanceof);
        assert.isFalse(report.crossCopy.descriptorInstanceof);
        assert.isTrue(report.crossCopy.descriptorEquals);
        assert.equal(report.crossCopy.redisFactoryMatchesOtherCopyDescriptor, 'pip-services:lock:redis:*:1.0');
        assert.equal(report.crossCopy.logicFactoryMatchesTopDescriptor, 'pip-services:lock:memory:*:1.0');
    });

    test('the whole graph compiles (strict, no skipLibCheck)', () => {
        assert.equal(compiled.code, 0, 'tsc failed:\n' + (compiled.stdout + compiled.stderr).trim());
    });

    test('a container builds the lock from the factories and locates it by descriptor, from either copy', () => {
        assert.deepEqual(report.container, {
            locatedIsRedisLock: true,
            locatedIsLogicLock: true,
            locatedByOtherCopyDescriptor: true,
            memoryLockFromLogicFactory: true
        });
    });

    test('the lock resolves discovery and credentials through config-node\'s copy, opens and locks', () => {
        assert.isTrue(report.topConfig.ok, JSON.stringify(report.topConfig));
        assert.isAbove(report.topConfig.fence, 0);
        assert.isFalse(report.topConfig.busy);
        assert.isTrue(report.topConfig.released);
    });

    test('ConfigParams from config-node\'s copy configure the lock as well', () => {
        assert.isTrue(report.otherCopyConfig.ok, JSON.stringify(report.otherCopyConfig));
        assert.isTrue(report.otherCopyConfig.released);
    });

    test('References of another copy find no component registered under a top-level descriptor', () => {
        // Not the library's doing: that copy's Reference.match uses `instanceof Descriptor` and then
        // identity. A container's References come from the container's (top-level) copy.
        assert.isFalse(report.otherCopyReferences.ok);
        assert.equal(report.otherCopyReferences.error.code, 'REF_ERROR');
        assert.match(report.otherCopyReferences.error.message, /discovery/);
    });
});

suite('Package: peer ranges accept the toolkit versions users install', function () {
    this.timeout(180000);

    test('installs beside toolkit packages that pin components 0.0.5, with a single copy', async function () {
        this.timeout(180000);
        const graphs = ConsumerGraphs.shared();
        const [packed, install] = await Promise.all([graphs.packed, graphs.peers]);
        if (install.refusal != null) {
            assert.fail('npm refused the install (our peerDependencies ' + JSON.stringify(packed.project.manifest.peerDependencies)
                + '):\n' + install.refusal.split('\n').filter(l => /ERESOLVE|peer|Found|Could not/.test(l)).slice(0, 8).join('\n'));
        }
        const dir = install.project!.dir;
        const nested = [...packed.peers.keys(), packed.project.name]
            .map(name => join(dir, 'node_modules', name, 'node_modules', COMPONENTS))
            .filter(existsSync);
        assert.deepEqual(nested, [], 'second copies of components');
        const top = JSON.parse(readFileSync(join(dir, 'node_modules', COMPONENTS, 'package.json'), 'utf8'));
        assert.equal(top.version, '0.0.5');
    });
});

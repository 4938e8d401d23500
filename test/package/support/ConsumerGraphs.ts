import { readFileSync } from 'fs';
import { join } from 'path';

import { ConsumerProject, ProcessResult } from './ConsumerProject';
import { ConsumerSources } from './ConsumerSources';
import { PackedSet, PackedTarball, PackedTarballs } from './PackedTarballs';

/** The name of the components package, whose copies the graphs arrange. */
export const COMPONENTS = 'pip-services4-components-node';

/**
 * What the real toolkit packages that depend on components ask for (pip-services4-config-node 0.0.6,
 * -logic-node 0.0.2, -observability-node 0.0.3, -expressions-node 0.0.3): "^0.0.5", which for a
 * 0.0.x version means 0.0.5 and nothing else. pip-services4-container-node 0.0.5 asks for "^0.0.6".
 */
export const TOOLKIT_COMPONENTS_RANGE = '^0.0.5';

/** A consumer project and what tsc said about its sources. */
export interface CompiledConsumer {
    project: ConsumerProject;
    /** tsc on the CommonJS sub-project (`cjs/` for the usage graph, `dup/` for the duplicate graph). */
    commonJs: ProcessResult;
    /** tsc on the ESM sub-project (`esm/`); usage graph only. */
    esm?: ProcessResult;
}

/** The install beside a toolkit that pins components 0.0.5: the project, or npm's refusal. */
export interface PeerInstall {
    project: ConsumerProject | null;
    refusal: string | null;
}

let started: ConsumerGraphs | null = null;

/**
 * The consumer installs the package tests need, started together once per process so that npm's
 * and tsc's waits overlap (tsc on these typings takes seconds):
 * - `usage`: the tarball and the stand-ins as packed; the usage program compiled as CommonJS and ESM.
 * - `duplicate`: the stand-ins as released (components 0.0.5 for config and logic, through a
 *   `file:` dependency of theirs), beside the service's components 0.0.6: npm nests a copy of
 *   components 0.0.5 under each of them. The duplicate-components program compiled as CommonJS.
 * - `peers`: the stand-ins as released with the real range (`^0.0.5`) and components 0.0.5 at
 *   the top: the install a service gets without container-node.
 * Each promise is observed at once, so a failure surfaces in the test that awaits it, not as an
 * unhandled rejection elsewhere.
 */
export class ConsumerGraphs {
    public readonly packed: Promise<PackedSet>;
    public readonly usage: Promise<CompiledConsumer>;
    public readonly duplicate: Promise<CompiledConsumer>;
    public readonly peers: Promise<PeerInstall>;

    private constructor() {
        this.packed = PackedTarballs.shared();
        const registryDeps = ConsumerGraphs.registryDeps();
        this.usage = this.packed.then(async packed => {
            const project = await ConsumerProject.install('redis-node-consumer', [packed.project, ...packed.peers.values()], registryDeps);
            project.write('cjs/tsconfig.json', ConsumerSources.commonJsTsconfig);
            project.write('cjs/main.ts', ConsumerSources.usage);
            project.write('esm/package.json', ConsumerSources.esmPackageJson);
            project.write('esm/tsconfig.json', ConsumerSources.esmTsconfig);
            project.write('esm/main.ts', ConsumerSources.usage);
            const [commonJs, esm] = await Promise.all([project.tsc('cjs'), project.tsc('esm')]);
            return { project, commonJs, esm };
        });
        this.duplicate = this.packed.then(async packed => {
            const toolkit = await ConsumerGraphs.toolkitAsReleased(packed, components005 => 'file:' + components005.file);
            const project = await ConsumerProject.install('redis-node-dup',
                [packed.project, packed.peers.get(COMPONENTS)!, ...toolkit.others], registryDeps);
            project.write('dup/tsconfig.json', ConsumerSources.commonJsTsconfig);
            project.write('dup/main.ts', ConsumerSources.duplicateComponents);
            return { project, commonJs: await project.tsc('dup') };
        });
        this.peers = this.packed.then(async packed => {
            const toolkit = await ConsumerGraphs.toolkitAsReleased(packed, () => TOOLKIT_COMPONENTS_RANGE);
            try {
                const project = await ConsumerProject.install('redis-node-peers', [packed.project, toolkit.components005, ...toolkit.others], {});
                return { project, refusal: null };
            } catch (err: any) {
                return { project: null, refusal: String(err.message) };
            }
        });
        for (const promise of [this.usage, this.duplicate, this.peers]) promise.catch(() => {});
    }

    /** Starts the installs on the first call; later calls share them. */
    public static shared(): ConsumerGraphs {
        started ??= new ConsumerGraphs();
        return started;
    }

    /** The version of a package the repository installed. */
    public static installedVersion(name: string): string {
        return JSON.parse(readFileSync(join(PackedTarballs.root, 'node_modules', name, 'package.json'), 'utf8')).version;
    }

    // The TypeScript the project builds with, and the Node typings it declares, as a service has them.
    private static registryDeps(): Record<string, string> {
        const manifest = JSON.parse(readFileSync(join(PackedTarballs.root, 'package.json'), 'utf8'));
        return { 'typescript': ConsumerGraphs.installedVersion('typescript'), '@types/node': manifest.devDependencies['@types/node'] };
    }

    /**
     * Packs the components stand-in as version 0.0.5, and every other stand-in with its components
     * dependency set to `componentsSpec`: the toolkit as the registry serves the real packages.
     */
    private static async toolkitAsReleased(packed: PackedSet, componentsSpec: (components005: PackedTarball) => string):
        Promise<{ components005: PackedTarball; others: PackedTarball[] }> {
        const dest = PackedTarballs.tempDir('redis-node-toolkit-');
        const dirOf = (name: string) => packed.peers.get(name)!.dir;
        const components005 = await PackedTarballs.packCompiled(dirOf(COMPONENTS), dest, m => { m.version = '0.0.5'; });
        const others = await Promise.all([...packed.peers.keys()].filter(name => name != COMPONENTS).map(name =>
            PackedTarballs.packCompiled(dirOf(name), dest, m => {
                if (m.dependencies?.[COMPONENTS] != null) m.dependencies[COMPONENTS] = componentsSpec(components005);
            })));
        return { components005, others };
    }
}

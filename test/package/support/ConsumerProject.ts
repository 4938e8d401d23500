import { execFile } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

import { PackedTarball, PackedTarballs } from './PackedTarballs';

/** What a child process did. */
export interface ProcessResult {
    /** Exit code; null when it was killed (timeout). */
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * A throwaway project that uses the packed library the way a service does: its own package.json,
 * `npm install` of the tarballs (third-party packages from the registry or npm's cache), its own
 * tsconfig, `tsc`, then `node` on what tsc emitted. It lives outside the repository, so nothing
 * resolves through the repository's node_modules.
 */
export class ConsumerProject {
    /** The project's directory. */
    public readonly dir: string;

    private constructor(dir: string) {
        this.dir = dir;
    }

    /**
     * Creates the project and installs its dependencies.
     *
     * @param name          directory name prefix.
     * @param tarballs      packed packages to depend on (as `file:` dependencies).
     * @param registryDeps  third-party dependencies by name (ranges as a service would write them).
     * @returns the installed project.
     */
    public static async install(name: string, tarballs: PackedTarball[],
        registryDeps: Record<string, string>): Promise<ConsumerProject> {
        const project = new ConsumerProject(PackedTarballs.tempDir(name + '-'));
        const dependencies: Record<string, string> = {};
        for (const tarball of tarballs) dependencies[tarball.name] = 'file:' + tarball.file;
        Object.assign(dependencies, registryDeps);
        project.write('package.json', JSON.stringify({ name, version: '1.0.0', private: true, dependencies }, null, 2));
        await PackedTarballs.npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project.dir);
        return project;
    }

    /** Writes a file of the project (directories created as needed). */
    public write(path: string, text: string): void {
        const file = join(this.dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
    }

    /** Reads a file of the project. */
    public read(path: string): string {
        return readFileSync(join(this.dir, path), 'utf8');
    }

    /**
     * Compiles a sub-project with the TypeScript the project installed.
     *
     * @param subdir    folder holding a tsconfig.json.
     * @returns tsc's exit code and diagnostics (tsc still emits JavaScript when it reports errors).
     */
    public tsc(subdir: string): Promise<ProcessResult> {
        return this.run(process.execPath, [join(this.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(this.dir, subdir), '--pretty', 'false'],
            this.dir, {}, 120000);
    }

    /**
     * Runs a script of the project with node.
     *
     * @param script    path inside the project.
     * @param env       extra environment variables.
     * @returns exit code and output.
     */
    public node(script: string, env: Record<string, string> = {}): Promise<ProcessResult> {
        return this.run(process.execPath, [join(this.dir, script)], dirname(join(this.dir, script)), env, 30000);
    }

    private run(file: string, args: string[], cwd: string, env: Record<string, string>, timeout: number): Promise<ProcessResult> {
        return new Promise(done => {
            execFile(file, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...PackedTarballs.plainEnv(), ...env } }, (err, stdout, stderr) => {
                const code = err == null ? 0 : (typeof (err as any).code === 'number' ? (err as any).code : null);
                done({ code, stdout, stderr });
            });
        });
    }
}

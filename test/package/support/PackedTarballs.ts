import { execFile } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

/** One `npm pack` result. */
export interface PackedTarball {
    /** Package name and version from its package.json. */
    name: string;
    version: string;
    /** The directory it was packed from. */
    dir: string;
    /** Absolute path of the .tgz file. */
    file: string;
    /** Paths inside the package, as `npm pack --json` lists them. */
    files: string[];
    /** The package.json that was packed. */
    manifest: Record<string, unknown>;
}

/** The project's tarball and one of every workspace (the toolkit stand-ins), packed once per process. */
export interface PackedSet {
    /** Temporary directory holding the tarballs (removed when the process exits). */
    dir: string;
    project: PackedTarball;
    /** The workspaces' tarballs by package name. */
    peers: Map<string, PackedTarball>;
    /** What had to be worked around while packing, for the report. */
    notes: string[];
}

// obj/test/package/support/PackedTarballs.js → the repository root.
const ROOT = resolve(__dirname, '..', '..', '..', '..');
const tempDirs = new Set<string>();
let shared: Promise<PackedSet> | null = null;

/**
 * Packs the project and the stand-in workspaces the way a release would (`npm pack`), into a
 * temporary directory, for the tests that install them into a consumer project.
 *
 * The project is packed with `--ignore-scripts`: `npm test` has just built obj/ (pretest), and
 * `prepack` would build it a second time. What `npm pack` ships depends on package.json `files`
 * and obj/ only, so the tarball is the one a release makes from the same build.
 */
export class PackedTarballs {
    /** The repository root. */
    public static readonly root = ROOT;

    /** Packs once per process; later callers share the result. */
    public static shared(): Promise<PackedSet> {
        shared ??= PackedTarballs.packAll();
        return shared;
    }

    /** A fresh temporary directory, removed when the process exits. */
    public static tempDir(prefix: string): string {
        const dir = mkdtempSync(join(tmpdir(), prefix));
        tempDirs.add(dir);
        return dir;
    }

    /**
     * Packs a package directory as it is (package.json, `files`, .npmignore/.gitignore rules).
     *
     * @param dir       the package's directory.
     * @param dest      where the .tgz goes.
     * @returns the tarball and its file list.
     */
    public static async pack(dir: string, dest: string): Promise<PackedTarball> {
        const stdout = await PackedTarballs.npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir);
        const [result] = JSON.parse(stdout) as { name: string; version: string; filename: string; files: { path: string }[] }[];
        return {
            name: result.name,
            version: result.version,
            dir,
            file: join(dest, result.filename),
            files: result.files.map(f => f.path).sort(),
            manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        };
    }

    /**
     * Packs a copy of a package directory holding only its package.json (changed by `edit`) and
     * its compiled `obj/src`: for stand-ins whose own packing leaves obj/ out, and for variants of a
     * stand-in (another version, other dependency ranges) as a registry would serve them.
     *
     * @param dir       the package's directory.
     * @param dest      where the .tgz goes.
     * @param edit      (optional) changes the copied package.json.
     * @returns the tarball and its file list.
     */
    public static async packCompiled(dir: string, dest: string,
        edit: (manifest: Record<string, any>) => void = () => {}): Promise<PackedTarball> {
        const stage = PackedTarballs.tempDir('pack-stage-');
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        edit(manifest);
        // Only what is staged is packed: no scripts, no `files` filter left to drop obj/.
        delete manifest.scripts;
        delete manifest.files;
        writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
        mkdirSync(join(stage, 'obj'));
        cpSync(join(dir, 'obj', 'src'), join(stage, 'obj', 'src'), { recursive: true });
        try {
            return { ...await PackedTarballs.pack(stage, dest), dir };
        } finally {
            rmSync(stage, { recursive: true, force: true });
        }
    }

    /** Runs npm with the ordinary client, failing with its output. */
    public static npm(args: string[], cwd: string, timeout = 120000): Promise<string> {
        return new Promise((done, fail) => {
            execFile('npm', args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: PackedTarballs.plainEnv() },
                (err, stdout, stderr) => {
                    if (err != null) fail(new Error('npm ' + args.join(' ') + ' failed in ' + cwd + ':\n' + stderr + stdout));
                    else done(stdout);
                });
        });
    }

    /**
     * The environment without what `npm test` adds for its scripts (npm_config_local_prefix,
     * npm_config_prefix, npm_package_*, npm_lifecycle_*, INIT_CWD), so a child npm works on its own
     * directory as if a person ran it there; the user's cache, config files and CA stay.
     */
    public static plainEnv(): NodeJS.ProcessEnv {
        const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cafile', 'npm_config_registry']);
        const env: NodeJS.ProcessEnv = {};
        for (const [name, value] of Object.entries(process.env)) {
            if ((!/^npm_/i.test(name) && name != 'INIT_CWD') || keep.has(name.toLowerCase())) env[name] = value;
        }
        env.npm_config_update_notifier = 'false';
        return env;
    }

    private static async packAll(): Promise<PackedSet> {
        const dir = PackedTarballs.tempDir('redis-node-pack-');
        const notes: string[] = [];
        const workspaces: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces ?? [];
        const [project, ...standIns] = await Promise.all([
            PackedTarballs.pack(ROOT, dir),
            ...workspaces.map(async workspace => {
                const wsDir = join(ROOT, workspace);
                const manifest = JSON.parse(readFileSync(join(wsDir, 'package.json'), 'utf8'));
                const main = String(manifest.main ?? 'index.js').replace(/^\.\//, '');
                if (!existsSync(join(wsDir, main))) {
                    throw new Error(workspace + ' is not built (' + main + ' missing): run npm run build:peers');
                }
                // Packed apart: two stand-ins may share a tarball name only if they share a version.
                const own = PackedTarballs.tempDir('redis-node-pack-');
                const tarball = await PackedTarballs.pack(wsDir, own);
                if (tarball.files.includes(main)) return tarball;
                // .gitignore's obj/ applies when a package has no `files`: its tarball has no code.
                notes.push(workspace + ': npm pack ships no ' + main + ' (no "files" in its package.json, .gitignore drops obj/); packed a staged copy');
                return PackedTarballs.packCompiled(wsDir, own);
            })
        ]);
        return { dir, project, peers: new Map(standIns.map(t => [t.name, t])), notes: notes.sort() };
    }
}

process.on('exit', () => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';

/** A place in a shipped declaration file. */
export interface TypingsFinding {
    /** `path/in/package.d.ts:line`. */
    at: string;
    /** The line's text, trimmed. */
    text: string;
}

/**
 * The declaration files a consumer of an installed package can reach, and what in them is not
 * fit for a public API: `any`, and types of node-redis (`redis`, `@redis/*`), which drag the
 * client's own typings (and their compiler settings) into every consumer's build.
 *
 * Reachable means: the `types`/`typings` entry and every `types` target of the `exports` map,
 * plus every declaration file they import or re-export, transitively. Without an `exports` map
 * every shipped declaration file is reachable (deep imports work).
 */
export class PublicTypings {
    /** Package-relative paths of the reachable declaration files. */
    public readonly files: string[];
    /** Every `any` keyword in them. */
    public readonly anys: TypingsFinding[] = [];
    /** Every import of node-redis in them. */
    public readonly nodeRedis: TypingsFinding[] = [];
    /** The names the root entry's declarations export (types and values), sorted. */
    public readonly rootExports: string[];

    private readonly _dir: string;

    /**
     * Scans an installed package.
     *
     * @param dir   the package's directory (node_modules/NAME).
     */
    public constructor(dir: string) {
        this._dir = dir;
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        const entries = manifest.exports != null
            ? [manifest.types ?? manifest.typings, ...PublicTypings.typesTargets(manifest.exports)]
            : PublicTypings.allDeclarations(dir);
        const seen = new Set<string>();
        const queue = entries.filter((e): e is string => typeof e === 'string').map(e => resolve(dir, e));
        while (queue.length > 0) {
            const file = queue.shift()!;
            if (seen.has(file) || !existsSync(file)) continue;
            seen.add(file);
            queue.push(...this.scan(file));
        }
        this.files = [...seen].map(f => relative(dir, f)).sort();
        this.rootExports = PublicTypings.exportsOf(resolve(dir, PublicTypings.rootTypes(manifest)), [...seen]);
    }

    // The declaration file of the package root: the exports map's, else types/typings.
    private static rootTypes(manifest: any): string {
        const root = typeof manifest.exports === 'object' && manifest.exports != null ? manifest.exports['.'] : manifest.exports;
        const fromMap = root != null ? PublicTypings.typesTargets(typeof root === 'object' && root.types != null ? root.types : root)[0] : null;
        return fromMap ?? manifest.types ?? manifest.typings ?? 'index.d.ts';
    }

    // Export names of one declaration file, its relative imports resolved among `files` only
    // (no lib, no other package: names are all this needs).
    private static exportsOf(entry: string, files: string[]): string[] {
        const program = ts.createProgram([entry, ...files], {
            noResolve: true, noLib: true, types: [], module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10
        });
        const source = program.getSourceFile(entry);
        if (source == null) return [];
        const checker = program.getTypeChecker();
        const module = checker.getSymbolAtLocation(source);
        return module == null ? [] : checker.getExportsOfModule(module).map(s => s.name).sort();
    }

    // The `types` targets of an exports map, and the .d.ts beside each JavaScript target.
    private static typesTargets(exportsMap: unknown): string[] {
        if (typeof exportsMap === 'string') {
            return [exportsMap.endsWith('.d.ts') ? exportsMap : exportsMap.replace(/\.(c|m)?js$/, '.d.ts')];
        }
        if (exportsMap == null || typeof exportsMap !== 'object') return [];
        return Object.values(exportsMap as Record<string, unknown>).flatMap(v => PublicTypings.typesTargets(v));
    }

    private static allDeclarations(dir: string): string[] {
        const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap(e =>
            e.isDirectory() ? (e.name == 'node_modules' ? [] : walk(join(d, e.name)))
                : e.name.endsWith('.d.ts') ? [join(d, e.name)] : []);
        return walk(dir);
    }

    // Records the findings of one file; returns the declaration files it refers to.
    private scan(file: string): string[] {
        const text = readFileSync(file, 'utf8');
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const lines = text.split('\n');
        const where = (node: ts.Node): TypingsFinding => {
            const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
            return { at: relative(this._dir, file) + ':' + (line + 1), text: lines[line].trim() };
        };
        const referenced: string[] = [];
        const follow = (node: ts.Node, specifier: string) => {
            if (specifier.startsWith('.')) {
                const base = resolve(dirname(file), specifier.replace(/\.(c|m)?js$/, ''));
                referenced.push(existsSync(base + '.d.ts') ? base + '.d.ts' : join(base, 'index.d.ts'));
            } else if (/^(redis|@redis\/)/.test(specifier)) {
                this.nodeRedis.push(where(node));
            }
        };
        const visit = (node: ts.Node): void => {
            if (node.kind === ts.SyntaxKind.AnyKeyword) this.anys.push(where(node));
            if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
                && node.moduleSpecifier != null && ts.isStringLiteral(node.moduleSpecifier)) {
                follow(node, node.moduleSpecifier.text);
            }
            if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
                follow(node, node.argument.literal.text);
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
        for (const ref of source.referencedFiles) referenced.push(resolve(dirname(file), ref.fileName));
        for (const ref of source.typeReferenceDirectives) {
            if (/^(redis|@redis\/)/.test(ref.fileName)) {
                this.nodeRedis.push({ at: relative(this._dir, file) + ':' + (source.getLineAndCharacterOfPosition(ref.pos).line + 1), text: ref.fileName });
            }
        }
        return referenced;
    }
}

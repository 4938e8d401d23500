// npm run lint: eslint with typescript-eslint over src, test (with the toolkit stand-ins under
// test/peers), chaos, benchmark and example. Every rule is an error or off (the script runs with
// --max-warnings 0), so a warning never lingers unread.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
    { ignores: ['**/obj/**', 'node_modules/**'] },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ['**/*.ts'],
        languageOptions: {
            parserOptions: {
                // One program for every linted file (peers' imports mapped to their sources), so the
                // type-aware rules below need no build first and the whole lint stays well under a minute.
                project: './tsconfig.eslint.json',
                tsconfigRootDir: dirname(fileURLToPath(import.meta.url))
            }
        },
        linterOptions: { reportUnusedDisableDirectives: 'error' },
        rules: {
            // Type-aware, the async bugs that matter in a library whose work is all promises: a promise
            // nobody awaits (its rejection is an unhandled rejection), an async callback where a
            // void one is expected (an event handler, a timer: same), awaiting a non-promise, and a
            // `return promise` inside try whose rejection skips the catch/finally around it.
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/no-misused-promises': 'error',
            '@typescript-eslint/await-thenable': 'error',
            '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],

            'prefer-const': 'error',
            // An unused argument is fine where an interface or a callback fixes the signature: name it
            // `_x`. `context` is the toolkit's leading tracing argument of every interface method,
            // unused wherever nothing is traced. Unused catch bindings are not reported.
            '@typescript-eslint/no-unused-vars': ['error', {
                args: 'after-used', argsIgnorePattern: '^(_|context$)', varsIgnorePattern: '^_', caughtErrors: 'none'
            }],
            // A marker interface extending exactly one other is the toolkit's way (IReconfigurable).
            '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],

            // Off, deliberately:
            // - eqeqeq: the code compares with `==`/`!=` on purpose (pip-services style; `== null` also
            //   covers undefined), and strict TypeScript already rejects a comparison of unrelated
            //   types (TS2367), the bug eqeqeq exists to catch.
            'eqeqeq': 'off',
            // - no-explicit-any: `any` stays at the untyped edges (node-redis replies and clients,
            //   IPC messages, JSON, the toolkit's own `any`-typed API mirrored by the stand-ins). The
            //   public typings are kept free of `any` by the packed-consumer compile test, not here.
            '@typescript-eslint/no-explicit-any': 'off',
            // - no-control-regex: the only regexes with control characters are input validators that
            //   refuse them on purpose.
            'no-control-regex': 'off'
        }
    }
);

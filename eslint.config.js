import prettier from 'eslint-config-prettier';
import js from '@eslint/js';
import { includeIgnoreFile } from '@eslint/compat';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const gitignorePath = fileURLToPath(new URL('./.gitignore', import.meta.url));

export default ts.config(
	includeIgnoreFile(gitignorePath),
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// typescript-eslint strongly recommends turning this off for TypeScript projects.
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			// The app is always served from the root of its origin (adapter-node, no base path),
			// so wrapping every link in resolve() would add noise and no safety.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Routes stay thin: they parse, authorize and call a domain function, which owns its
		// queries. Row types may still be imported, to shape what a page receives.
		files: ['src/routes/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'drizzle-orm',
								'drizzle-orm/*',
								'$lib/server/db/schema',
								'$lib/server/db/*.schema',
								'**/server/db/schema',
								'**/server/db/*.schema'
							],
							allowTypeImports: true,
							message:
								'Routes do not query the database: call (or add) a domain function in $lib/server.'
						}
					]
				}
			]
		}
	},
	{
		// Issue #12: the server, the command line and admin commands write the same file. A
		// deferred transaction takes the write lock only at its first write, and if another
		// process committed after its first read it fails with SQLITE_BUSY_SNAPSHOT, which no busy
		// timeout waits out. So every write transaction is immediate: inWriteTransaction(db, fn)
		// (db/write.ts), or better-sqlite3's `client.transaction(fn).immediate()`.
		files: ['src/**/*.ts', 'src/**/*.svelte', 'scripts/**/*.ts'],
		ignores: ['**/*.test.ts', 'scripts/bench/**'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector:
						"CallExpression[callee.property.name='transaction'][arguments.length=1]:not(MemberExpression[property.name='immediate'] > CallExpression)",
					message:
						'A deferred transaction can fail with SQLITE_BUSY_SNAPSHOT when another process writes: use inWriteTransaction(db, fn) from $lib/server/db/write, or .immediate().'
				},
				{
					selector:
						"CallExpression[callee.property.name='transaction'] > ObjectExpression > Property[key.name='behavior'][value.value!='immediate']",
					message:
						'Write transactions are immediate: use inWriteTransaction(db, fn) from $lib/server/db/write.'
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);

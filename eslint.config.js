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

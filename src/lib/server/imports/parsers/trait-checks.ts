import type { z } from 'zod';
import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import { traitContentSchema, traitKeySchema } from '../../catalog';
import type { ParsedTrait } from '../types';
import { formatPath } from './json-checks';

/**
 * The catalog's own schemas decide what a trait may be. Checking a file's traits against them
 * before anything is written turns what used to fail inside the write (a 500, the file half
 * read) into problems with their line and field, by the very same limits.
 */

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Keys recur on every line of a file: each is checked once. */
const validKeys = new Set<string>();

/** Why a trait key would be refused by the catalog, or null when it is fine. */
export function traitKeyProblem(key: string): string | null {
	if (validKeys.has(key)) return null;
	if (traitKeySchema.safeParse(key).success) {
		if (validKeys.size > 10_000) validKeys.clear();
		validKeys.add(key);
		return null;
	}
	return (
		`"${shown(key)}" is not a valid trait key: use letters, digits, dots, dashes and ` +
		`underscores, start with a letter or a digit, at most ${traitKeySchema.maxLength} characters.`
	);
}

function describe(issue: z.ZodError['issues'][number]): string {
	const field = formatPath(issue.path);
	if (issue.code === 'too_big' && issue.origin === 'string') {
		return `${field} is longer than the limit of ${formatCount(Number(issue.maximum))} characters.`;
	}
	if (issue.code === 'too_big') {
		return `${field} can have at most ${formatCount(Number(issue.maximum))} lines.`;
	}
	if (issue.code === 'too_small') return `${field} must not be empty.`;
	return `${field}: ${issue.message}`;
}

/** Every reason the catalog would refuse this trait, at the line that defines it. */
export function traitIssues(trait: ParsedTrait): ImportIssue[] {
	const line = trait.line ?? 0;
	const issues: ImportIssue[] = [];
	const keyProblem = traitKeyProblem(trait.key);
	if (keyProblem) issues.push({ line, path: 'key', message: `key ${keyProblem}` });
	const content = traitContentSchema.safeParse({
		title: trait.title,
		description: trait.description,
		rubric: trait.rubric ?? null,
		authority: trait.authority ?? null
	});
	if (!content.success) {
		for (const issue of content.error.issues) {
			issues.push({ line, path: formatPath(issue.path), message: describe(issue) });
		}
	}
	return issues;
}

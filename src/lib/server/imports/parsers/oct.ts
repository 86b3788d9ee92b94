import { z } from 'zod';
import type { ImportIssue } from '$lib/import-result';
import type { ImportLimits } from '../limits';
import { splitLines } from '../lines';
import type { ParsedTrait } from '../types';
import { parseJson, zodIssues } from './json';

export type OctTrait = ParsedTrait & { questions: string[] };

const entrySchema = z.object({
	trait: z.string({ message: 'must be the trait statement, a string' }).trim(),
	questions: z.array(z.string({ message: 'must be strings' })).default([]),
	additional_questions: z.array(z.string({ message: 'must be strings' })).default([])
});

const STOPWORDS = new Set(
	'i am a an the to and or of with in on my me myself always often strive try tend be being is are that this for by as it its at from all any every'.split(
		' '
	)
);

/** A short, readable key from the first-person statement, e.g. "approach-conversations-creativity-wit". */
export function keyFromStatement(statement: string): string {
	const words = statement
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9\s-]/g, ' ')
		.split(/\s+/)
		.filter((w) => w && !STOPWORDS.has(w));
	return words.slice(0, 4).join('-') || 'trait';
}

/** The statement's first clause, short enough for a heading. */
function titleFromStatement(statement: string): string {
	const clause = statement.split(/[,.;:—]/)[0].trim();
	return clause.length > 80 ? `${clause.slice(0, 77).replace(/\s+\S*$/, '')}…` : clause;
}

/**
 * Open Character Training constitutions: a hand-written JSON array of {trait, questions}, or
 * few-shot JSONL whose lines add additional_questions. One trait per entry; its questions
 * become prompts waiting for responses.
 */
export function parseOct(
	text: string,
	_limits?: ImportLimits
): { traits: OctTrait[]; issues: ImportIssue[] } {
	const trimmed = text.replace(/^\ufeff/, '').trim();
	const entries: { line: number; value: unknown }[] = [];
	const issues: ImportIssue[] = [];
	if (trimmed.startsWith('[')) {
		try {
			const array = JSON.parse(trimmed) as unknown;
			if (!Array.isArray(array)) throw new Error('not a list');
			array.forEach((value, i) => entries.push({ line: i + 1, value }));
		} catch (e) {
			return {
				traits: [],
				issues: [
					{
						line: 0,
						path: '',
						message: `The file is not a valid JSON list (${e instanceof Error ? e.message : e}).`
					}
				]
			};
		}
	} else {
		for (const entry of splitLines(text)) {
			const json = 'error' in entry ? { error: entry.error } : parseJson(entry.text);
			if (json.error) issues.push({ line: entry.line, path: '', message: json.error });
			else entries.push({ line: entry.line, value: json.value });
		}
	}

	const traits: OctTrait[] = [];
	const usedKeys = new Map<string, number>();
	for (const { line, value } of entries) {
		const parsed = entrySchema.safeParse(value);
		if (!parsed.success) {
			issues.push(...zodIssues(parsed.error, line));
			continue;
		}
		const { trait: statement, questions, additional_questions } = parsed.data;
		// The empty template has entries with a blank statement; they are skipped, not errors.
		if (!statement) continue;
		const base = keyFromStatement(statement);
		const seen = (usedKeys.get(base) ?? 0) + 1;
		usedKeys.set(base, seen);
		traits.push({
			key: seen === 1 ? base : `${base}-${seen}`,
			title: titleFromStatement(statement),
			description: statement,
			questions: [
				...new Set([...questions, ...additional_questions].map((q) => q.trim()).filter(Boolean))
			]
		});
	}
	return { traits, issues };
}

import { z } from 'zod';
import type { ImportIssue } from '$lib/import-result';
import { IssueList } from '../issues';
import { splitLines, type LineEntry, type LineRules } from '../lines';
import type { ParsedTrait } from '../types';
import { expected, parseJson, zodIssues } from './json';
import { inspectJson } from './json-checks';

export type OctTrait = ParsedTrait & { questions: string[] };

const entrySchema = z.object(
	{
		trait: z.string(expected('the trait statement, a string')).trim(),
		questions: z.array(z.string(expected('a string')), expected('a list of strings')).default([]),
		additional_questions: z
			.array(z.string(expected('a string')), expected('a list of strings'))
			.default([])
	},
	expected('an object {"trait", "questions"}')
);

const STOPWORDS = new Set(
	'i am a an the to and or of with in on my me myself always often strive try tend be being is are that this for by as it its at from all any every'.split(
		' '
	)
);

/** Derived keys stay short enough for a "-2" suffix to fit the catalog's limit. */
const MAX_DERIVED_KEY = 90;

/** A short, readable key from the first-person statement, e.g. "approach-conversations-creativity-wit". */
export function keyFromStatement(statement: string): string {
	const words = statement
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9\s-]/g, ' ')
		.split(/\s+/)
		.filter((w) => w && !STOPWORDS.has(w));
	const key = words.slice(0, 4).join('-');
	// A key must start with a letter or a digit: "- kind" would otherwise give "--kind".
	let start = 0;
	while (key[start] === '-') start += 1;
	return key.slice(start, start + MAX_DERIVED_KEY) || 'trait';
}

/** The statement's first clause, short enough for a heading (never empty: the catalog needs one). */
function titleFromStatement(statement: string, key: string): string {
	const clause = statement.split(/[,.;:—]/)[0].trim() || statement.trim() || key;
	return clause.length > 80 ? `${clause.slice(0, 77).replace(/\s+\S*$/, '')}…` : clause;
}

type OctEntry = { line: number; value: unknown };

/**
 * Open Character Training constitutions: a hand-written JSON array of {trait, questions}, or
 * few-shot JSONL whose lines add additional_questions. One trait per entry; its questions
 * become prompts waiting for responses. Entries come in one at a time, so that a JSONL file
 * can be read as a stream, through the one line reader.
 */
export class OctReader {
	readonly traits: OctTrait[] = [];
	readonly issues = new IssueList();
	private readonly usedKeys = new Set<string>();

	/** A few-shot JSONL line. */
	addLine(entry: LineEntry): void {
		if ('error' in entry)
			return this.issues.add({ line: entry.line, path: '', message: entry.error });
		const json = parseJson(entry.text);
		if (json.error) return this.issues.add({ line: entry.line, path: '', message: json.error });
		this.addEntry({ line: entry.line, value: json.value });
	}

	/** A whole document in memory: a JSON list, or else JSONL lines. */
	addDocument(text: string, rules: LineRules = { maxLineBytes: Infinity }): void {
		const body = text.replace(/^\ufeff/, '');
		if (body.trimStart().startsWith('[')) this.addList(body);
		else for (const entry of splitLines(body, rules)) this.addLine(entry);
	}

	/** A hand-written JSON list, its entries numbered by their place in it. */
	private addList(text: string): void {
		let list: unknown;
		try {
			list = JSON.parse(text);
			if (!Array.isArray(list)) throw new Error('not a list');
		} catch (e) {
			return this.issues.add({
				line: 0,
				path: '',
				message: `The file is not a valid JSON list (${e instanceof Error ? e.message : e}).`
			});
		}
		list.forEach((value, i) => this.addEntry({ line: i + 1, value }));
	}

	private addEntry({ line, value }: OctEntry): void {
		const parsed = entrySchema.safeParse(value);
		if (!parsed.success) return this.issues.addAll(zodIssues(parsed.error, line));
		const problems = inspectJson(parsed.data, line);
		if (problems.length) return this.issues.addAll(problems);
		const { trait: statement, questions, additional_questions } = parsed.data;
		// The empty template has entries with a blank statement; they are skipped, not errors.
		if (!statement) return;
		// "kind-people", then "kind-people-2": never a key already taken, even by another base.
		const base = keyFromStatement(statement);
		let key = base;
		for (let n = 2; this.usedKeys.has(key); n++) key = `${base}-${n}`;
		this.usedKeys.add(key);
		this.traits.push({
			line,
			key,
			title: titleFromStatement(statement, key),
			description: statement,
			questions: [
				...new Set([...questions, ...additional_questions].map((q) => q.trim()).filter(Boolean))
			]
		});
	}
}

/** A whole OCT document already in memory: a JSON list, or JSONL lines. */
export function parseOct(
	text: string,
	rules: LineRules = { maxLineBytes: Infinity }
): { traits: OctTrait[]; issues: ImportIssue[]; totalIssues: number } {
	const reader = new OctReader();
	reader.addDocument(text, rules);
	return { traits: reader.traits, issues: reader.issues.kept, totalIssues: reader.issues.total };
}

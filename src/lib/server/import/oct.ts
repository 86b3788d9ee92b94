import { z } from 'zod';
import { isPlainObject } from './checks';
import { formatPath, friendlyMessage, parseJson, toImportIssues } from './issues';
import type { ImportIssue, LineResult, ParsedTrait } from './types';

/*
 * Open Character Training constitutions (github.com/maiush/OpenCharacterTraining): a trait is a
 * first-person statement ("I strive to ...") with user messages that should bring it out.
 *
 * - The statement is the description, unchanged. The title is its opening words, and the key a
 *   slug of its first significant words, made unique within the file with -2, -3, ...
 * - questions and additional_questions are joined in that order; repeats and empty strings are
 *   dropped, since they would only become duplicate or blank prompts.
 * - An entry whose statement and questions are all empty is a blank left in from the template,
 *   and is skipped. A file with no other entries gives zero traits and one issue that says so.
 */

export type OctTrait = ParsedTrait & { questions: string[] };
export type OctResult = { traits: OctTrait[]; issues: ImportIssue[] };

const entrySchema = z.object({
	trait: z.string(),
	questions: z.array(z.string()),
	additional_questions: z.array(z.string()).optional()
});

type Entry = z.infer<typeof entrySchema>;
/** A parsed entry and where it came from: its line, and its index when the file is an array. */
type Located = { line: number; index?: number; value: unknown };
type Checked = { line: number; path: PropertyKey[]; entry: Entry };

const KEY_WORDS = 4;
const TITLE_CHARS = 60;

// Words that open nearly every statement, so a key built from them would tell traits apart badly.
const FILLER_WORDS = new Set(
	(
		'i im me my mine myself a an the and or but of to in on at by for with from as into about ' +
		'is am are be been being was were do does have has it its this that these those when if ' +
		'even often always frequently occasionally constantly consistently regularly usually ' +
		'naturally subtly gently openly readily really very quite deeply comfortably carefully ' +
		'thoughtfully try tries strive aim tend'
	).split(' ')
);

/** Parses a hand-written constitution: one JSON array of {trait, questions}. */
export function parseOctArray(text: string): OctResult {
	const json = parseJson(text, 0);
	if (!json.ok) return { traits: [], issues: [locateJsonError(json.issue, text)] };
	if (!Array.isArray(json.value)) {
		return {
			traits: [],
			issues: [
				{ line: 1, path: '', message: 'must be a JSON list ([...]) of {"trait", "questions"}' }
			]
		};
	}
	const lines = elementLines(text);
	const located = json.value.map((value, index) => ({ line: lines[index] ?? 0, index, value }));
	return buildResult(located);
}

/** Parses a few-shot constitution: JSONL, one {trait, questions, additional_questions} a line. */
export async function parseOctJsonl(
	lines: AsyncIterable<LineResult> | Iterable<LineResult>
): Promise<OctResult> {
	const located: Located[] = [];
	const issues: ImportIssue[] = [];
	for await (const entry of lines) {
		if ('error' in entry) {
			issues.push({ line: entry.line, path: '', message: entry.error });
			continue;
		}
		const json = parseJson(entry.text, entry.line);
		if (json.ok) located.push({ line: entry.line, value: json.value });
		else issues.push(json.issue);
	}
	const result = buildResult(located);
	return { traits: result.traits, issues: [...issues, ...result.issues] };
}

/** Picks the right parser from the text: a JSON array, or else JSONL. */
export function parseOctText(text: string): Promise<OctResult> {
	if (
		text
			.replace(/^\ufeff/, '')
			.trimStart()
			.startsWith('[')
	) {
		return Promise.resolve(parseOctArray(text.replace(/^\ufeff/, '')));
	}
	return parseOctJsonl(splitTextLines(text));
}

function* splitTextLines(text: string): Generator<LineResult> {
	const lines = text.replace(/^\ufeff/, '').split('\n');
	for (const [index, raw] of lines.entries()) {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (line.trim() !== '') yield { line: index + 1, text: line };
	}
}

function buildResult(located: Located[]): OctResult {
	const issues: ImportIssue[] = [];
	const entries: Checked[] = [];
	for (const item of located) {
		const path = item.index === undefined ? [] : [item.index];
		const checked = checkEntry(item, path);
		if ('issues' in checked) issues.push(...checked.issues);
		else if (checked.entry) entries.push({ line: item.line, path, entry: checked.entry });
	}
	issues.push(...findRepeatedStatements(entries));
	const traits = toTraits(entries.map(({ entry }) => entry));
	if (traits.length === 0 && issues.length === 0) issues.push(noTraitsIssue(located.length));
	return { traits, issues };
}

function checkEntry(
	item: Located,
	path: PropertyKey[]
): { entry?: Entry } | { issues: ImportIssue[] } {
	if (!isPlainObject(item.value)) {
		const message = 'must be an object ({...}) with "trait" and "questions"';
		return { issues: [{ line: item.line, path: formatPath(path), message }] };
	}
	const result = entrySchema.safeParse(item.value, { error: friendlyMessage });
	if (!result.success) return { issues: toImportIssues(result.error.issues, item.line, path) };
	if (isBlank(result.data)) return {};
	if (result.data.trait.trim() === '') {
		const message = 'must not be empty when the entry has questions';
		return { issues: [{ line: item.line, path: formatPath([...path, 'trait']), message }] };
	}
	return { entry: result.data };
}

function isBlank(entry: Entry): boolean {
	const texts = [entry.trait, ...entry.questions, ...(entry.additional_questions ?? [])];
	return texts.every((text) => text.trim() === '');
}

function findRepeatedStatements(entries: Checked[]): ImportIssue[] {
	const seen = new Map<string, number>();
	return entries.flatMap(({ line, path, entry }) => {
		const statement = entry.trait.trim();
		const first = seen.get(statement);
		if (first === undefined) {
			seen.set(statement, line);
			return [];
		}
		const where = first > 0 ? ` on line ${first}` : '';
		const message = `repeats the trait statement given${where}`;
		return [{ line, path: formatPath([...path, 'trait']), message }];
	});
}

function noTraitsIssue(entryCount: number): ImportIssue {
	const message =
		entryCount === 0
			? 'the file contains no traits'
			: 'the file contains no traits: every "trait" and question is empty (this looks like the blank template)';
	return { line: 0, path: '', message };
}

function toTraits(entries: Entry[]): OctTrait[] {
	const usedKeys = new Set<string>();
	return entries.map((entry) => ({
		key: uniqueKey(slugKey(entry.trait), usedKeys),
		title: titleFrom(entry.trait),
		description: entry.trait,
		questions: collectQuestions(entry)
	}));
}

function collectQuestions(entry: Entry): string[] {
	const all = [...entry.questions, ...(entry.additional_questions ?? [])];
	return [...new Set(all.filter((question) => question.trim() !== ''))];
}

/** The first significant words of the statement, lower case, joined by hyphens. */
export function slugKey(statement: string): string {
	const words = statement
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[\u2018\u2019']/g, '')
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
	const significant = words.filter((word) => !FILLER_WORDS.has(word));
	const chosen = (significant.length > 0 ? significant : words).slice(0, KEY_WORDS);
	return chosen.join('-') || 'trait';
}

function uniqueKey(base: string, used: Set<string>): string {
	let key = base;
	for (let suffix = 2; used.has(key); suffix += 1) key = `${base}-${suffix}`;
	used.add(key);
	return key;
}

/** The statement's first sentence, shortened at a word boundary to fit a heading. */
export function titleFrom(statement: string): string {
	const sentence = statement
		.trim()
		.split(/(?<=[.!?])\s/)[0]
		.replace(/[.!?]$/, '');
	if (sentence.length <= TITLE_CHARS) return sentence;
	const cut = sentence.slice(0, TITLE_CHARS + 1).replace(/[\s,;:-]+\S*$/, '');
	return `${cut}…`;
}

/**
 * The line where each top-level element of a JSON array starts, so issues can name a line even
 * though JSON.parse reports none. Only strings need care: brackets inside them do not count.
 */
function elementLines(text: string): number[] {
	const starts: number[] = [];
	let line = 1;
	let depth = 0;
	let inString = false;
	let expectValue = false;
	for (let i = 0; i < text.length; i += 1) {
		const char = text[i];
		if (char === '\n') line += 1;
		if (inString) {
			if (char === '\\') i += 1;
			else if (char === '"') inString = false;
			continue;
		}
		if (/\s/.test(char)) continue;
		if (depth === 1 && expectValue && char !== ']') {
			starts.push(line);
			expectValue = false;
		}
		if (char === '"') inString = true;
		else if (char === '[' || char === '{') {
			depth += 1;
			if (depth === 1) expectValue = true;
		} else if (char === ']' || char === '}') depth -= 1;
		else if (char === ',' && depth === 1) expectValue = true;
	}
	return starts;
}

/**
 * JSON.parse often names a character position; people need a line number. When it names none,
 * the issue stays on the whole file (line 0) rather than point at a wrong line.
 */
function locateJsonError(issue: ImportIssue, text: string): ImportIssue {
	const position = /at position (\d+)/.exec(issue.message);
	if (!position) return issue;
	return { ...issue, line: countLines(text.slice(0, Number(position[1]))) };
}

function countLines(text: string): number {
	return text.split('\n').length;
}

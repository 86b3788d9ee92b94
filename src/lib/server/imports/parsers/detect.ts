import type { ImportFormat } from '$lib/import-formats';
import { splitLines } from '../lines';
import { parseJson } from './json';
import { parseHeader } from './model-spec';

const isObject = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

function firstJsonLine(head: string): Record<string, unknown> | null {
	const first = splitLines(head).next().value;
	if (!first || 'error' in first) return null;
	const { value } = parseJson(first.text);
	return isObject(value) ? value : null;
}

/**
 * The first element of a JSON list whose start is `text`, parsed, or undefined when it does not
 * end within `text` (the head of a long file) or is not JSON.
 */
function firstListElement(text: string): unknown {
	let depth = 0;
	let inString = false;
	for (let i = 1; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i += 1;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth += 1;
		else if (c === '}' || c === ']') depth -= 1;
		if (!inString && depth === 0 && (c === ',' || c === '}' || c === ']')) {
			return parseJson(text.slice(1, c === ',' ? i : i + 1)).value;
		}
	}
	return undefined;
}

/**
 * A hand-written OCT list is a list of {trait, questions} objects. Its first element decides,
 * so that JSONL whose first line is a list (`[1,2,3]`) is not taken for one.
 */
function looksLikeOctList(text: string): boolean {
	if (!text.slice(1).trimStart().startsWith('{')) return false;
	const first = firstListElement(text);
	// An element too long for the head: its opening is all there is to go by.
	if (first === undefined) return /"trait"\s*:/.test(text);
	return isObject(first) && 'trait' in first;
}

/** Guesses a file's format from its first bytes (and its name, for markdown). */
export function detectFormat(head: string, fileName = ''): ImportFormat | null {
	const text = head.replace(/^\ufeff/, '').trimStart();
	const headers = [...splitLines(head)].some((l) => 'text' in l && parseHeader(l.text));
	if (headers || /\.(md|markdown)$/i.test(fileName)) return 'model-spec';
	if (text.startsWith('[')) return looksLikeOctList(text) ? 'oct' : null;
	if (!text.startsWith('{')) return null;
	const first = firstJsonLine(text);
	const has = (key: string) => (first ? key in first : new RegExp(`"${key}"\\s*:`).test(text));
	if (has('responses')) return 'native';
	if (has('chosen') && has('rejected')) return 'trl';
	if (has('trait') && (has('questions') || has('additional_questions'))) return 'oct';
	return null;
}

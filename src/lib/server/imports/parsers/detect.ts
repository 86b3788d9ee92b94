import type { ImportFormat } from '$lib/import-formats';
import { splitLines } from '../lines';
import { parseJson } from './json';

function firstJsonLine(head: string): Record<string, unknown> | null {
	const first = splitLines(head).next().value;
	if (!first || 'error' in first) return null;
	const { value } = parseJson(first.text);
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: null;
}

/** Guesses a file's format from its first bytes (and its name, for markdown). */
export function detectFormat(head: string, fileName = ''): ImportFormat | null {
	const text = head.replace(/^\ufeff/, '').trimStart();
	if (/^#{1,6}\s+.*\{#[\w-]+[^}]*\}\s*$/m.test(head) || /\.(md|markdown)$/i.test(fileName)) {
		return 'model-spec';
	}
	if (text.startsWith('[')) return /"trait"\s*:/.test(text) ? 'oct' : null;
	if (!text.startsWith('{')) return null;
	const first = firstJsonLine(text);
	const has = (key: string) => (first ? key in first : new RegExp(`"${key}"\\s*:`).test(text));
	if (has('responses')) return 'native';
	if (has('chosen') && has('rejected')) return 'trl';
	if (has('trait') && (has('questions') || has('additional_questions'))) return 'oct';
	return null;
}

import type { ImportFormat } from './types';

// A spec section header such as `## Be warm {#be_warm authority=guideline}`.
const SPEC_HEADER = /^#{1,6}\s+.*\{#[^\s}]+[^}]*\}\s*$/m;

/**
 * Guesses an upload's format from its first bytes (a few kilobytes are plenty) and its name.
 * The content decides; the name only settles markdown. Returns null when nothing fits, so the
 * caller can ask the user instead of guessing wrong.
 */
export function detectFormat(firstBytes: string, fileName?: string): ImportFormat | null {
	const text = firstBytes.replace(/^\ufeff/, '').trimStart();
	if (text === '') return null;
	if (SPEC_HEADER.test(text) || (isMarkdownName(fileName) && text.startsWith('#'))) {
		return 'model-spec';
	}
	if (text.startsWith('[')) return hasKeys(text, ['trait', 'questions']) ? 'oct' : null;
	if (text.startsWith('{')) return detectJsonl(firstLine(text));
	return null;
}

function detectJsonl(line: string): ImportFormat | null {
	if (hasKeys(line, ['additional_questions'])) return 'oct';
	if (hasKeys(line, ['chosen', 'rejected'])) return 'trl';
	if (hasKeys(line, ['responses'])) return 'native';
	if (hasKeys(line, ['trait', 'questions'])) return 'oct';
	return null;
}

/**
 * Reads the top-level keys when the line parses; the first bytes may cut a long line short, and
 * then a key written as `"name":` is good enough evidence.
 */
function hasKeys(text: string, keys: string[]): boolean {
	const parsed = topLevelKeys(text);
	if (parsed) return keys.every((key) => parsed.has(key));
	return keys.every((key) => new RegExp(`"${key}"\\s*:`).test(text));
}

function topLevelKeys(text: string): Set<string> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first !== 'object' || first === null) return undefined;
		return new Set(Object.keys(first));
	} catch {
		return undefined;
	}
}

function firstLine(text: string): string {
	const end = text.indexOf('\n');
	return (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
}

function isMarkdownName(fileName: string | undefined): boolean {
	return fileName !== undefined && /\.(md|markdown)$/i.test(fileName);
}

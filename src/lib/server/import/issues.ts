import type { z } from 'zod';
import type { ImportIssue } from './types';

/** Renders an issue the way people read it: "line 12, responses[1].content: must be a string". */
export function formatIssue(issue: ImportIssue): string {
	const where = [issue.line > 0 ? `line ${issue.line}` : '', issue.path].filter(Boolean).join(', ');
	return where ? `${where}: ${issue.message}` : issue.message;
}

/** Turns a path such as ['responses', 2, 'content'] into "responses[2].content". */
export function formatPath(path: readonly PropertyKey[]): string {
	return path.reduce<string>((text, key) => {
		if (typeof key === 'number') return `${text}[${key}]`;
		return text ? `${text}.${String(key)}` : String(key);
	}, '');
}

/** Joins a prefix path and a relative one ("responses[0]" + "content"). */
export function joinPath(prefix: string, path: string): string {
	if (!prefix) return path;
	if (!path || path.startsWith('[')) return `${prefix}${path}`;
	return `${prefix}.${path}`;
}

export function formatCount(value: number): string {
	return value.toLocaleString('en-US');
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Byte limits are configured in round binary units, so show them that way. */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
		value /= 1024;
		unit += 1;
	}
	return `${formatCount(value)} ${units[unit]}`;
}

/** Counts code points, not UTF-16 units, so an emoji counts as one character. */
export function countCharacters(text: string): number {
	// Every code point takes at least one UTF-16 unit, so short strings need no walk.
	if (text.length <= 1) return text.length;
	let count = 0;
	for (let i = 0; i < text.length; i += 1) {
		const code = text.charCodeAt(i);
		if (code < 0xdc00 || code > 0xdfff) count += 1;
	}
	return count;
}

/**
 * Error map for zod's safeParse: messages for people who do not read code. Schemas that need a
 * more specific message (unions, say) set their own, which zod prefers over this one.
 */
export function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
	switch (issue.code) {
		case 'invalid_type':
			return issue.input === undefined ? 'is missing' : `must be ${describeType(issue.expected)}`;
		case 'too_small':
			return describeTooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
		case 'too_big':
			return `must have at most ${formatCount(Number(issue.maximum))} entries`;
		case 'invalid_value':
			return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
		default:
			return undefined;
	}
}

function describeType(expected: string): string {
	const names: Record<string, string> = {
		string: 'text (a string)',
		number: 'a number',
		int: 'a whole number',
		boolean: 'true or false',
		array: 'a list',
		object: 'an object ({...})',
		record: 'an object ({...})'
	};
	return names[expected] ?? `a ${expected}`;
}

function describeTooSmall(origin: string, minimum: number, inclusive: boolean): string {
	if (origin === 'string') return minimum <= 1 ? 'must not be empty' : `is too short`;
	if (origin === 'array') return minimum <= 1 ? 'must not be an empty list' : `is too short`;
	return inclusive
		? `must be ${formatCount(minimum)} or more`
		: `must be more than ${formatCount(minimum)}`;
}

/**
 * Flattens zod issues into import issues. A union that failed because the value had the right
 * shape but bad contents reports those contents ("prompt[0].role"), not just "invalid input".
 */
export function toImportIssues(
	issues: readonly z.core.$ZodIssue[],
	line: number,
	prefix: readonly PropertyKey[] = []
): ImportIssue[] {
	return issues.flatMap((issue) => {
		const path = [...prefix, ...issue.path];
		if (issue.code === 'invalid_union') {
			const inner = issue.errors.find((branch) => branch.every((sub) => sub.path.length > 0));
			if (inner) return toImportIssues(inner, line, path);
		}
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({
				line,
				path: formatPath([...path, key]),
				message: 'is not a known field here; check its spelling'
			}));
		}
		return [{ line, path: formatPath(path), message: issue.message }];
	});
}

/** Parses JSON text, reporting a syntax error as an issue instead of throwing. */
export function parseJson(
	text: string,
	line: number
): { ok: true; value: unknown } | { ok: false; issue: ImportIssue } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { ok: false, issue: { line, path: '', message: `is not valid JSON (${detail})` } };
	}
}

import type { z } from 'zod';
import type { ImportIssue } from '$lib/import-result';
import { formatPath, inspectJson } from './json-checks';

/** Parses JSON text, or explains in one sentence why it is not JSON. */
export function parseJson(text: string): { value?: unknown; error?: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (e) {
		// Nesting deep enough to exhaust the stack is a property of the file, not of the server.
		if (e instanceof RangeError) return { error: 'This line nests its JSON too deeply to read.' };
		return {
			error: `This line is not valid JSON (${e instanceof Error ? e.message : String(e)}).`
		};
	}
}

/** zod's complaints, each with its field as people write it: "responses[1].content must be …". */
export function zodIssues(error: z.ZodError, line: number): ImportIssue[] {
	return error.issues.map((issue) => {
		const path = formatPath(issue.path);
		return { line, path, message: `${path || 'The line'} ${issue.message}`.trim() };
	});
}

/**
 * A zod error option that tells a missing field ("is required") from one of the wrong type
 * ("must be …"): a field that is there must never be reported as missing.
 */
export function expected(what: string, required = 'is required') {
	return {
		error: (issue: { input?: unknown }) =>
			issue.input === undefined ? required : `must be ${what}`
	};
}

/**
 * One JSONL record checked against its schema, then by `check` (the format's own rules), then
 * for text that JSON can carry but the database cannot store faithfully (lone surrogates): the
 * value, or every problem with its field.
 */
export function parseJsonLine<T>(
	text: string,
	line: number,
	schema: z.ZodType<T>,
	check: (value: T) => ImportIssue[] = () => []
): { value: T; issues?: never } | { value?: never; issues: ImportIssue[] } {
	const json = parseJson(text);
	if (json.error) return { issues: [{ line, path: '', message: json.error }] };
	const parsed = schema.safeParse(json.value);
	if (!parsed.success) return { issues: zodIssues(parsed.error, line) };
	const checked = check(parsed.data);
	// Text decoded from UTF-8 holds no surrogates: only a \uD800–\uDFFF escape can bring one.
	const escapes = text.includes('\\u') && /\\u[dD][89a-fA-F]/.test(text);
	const problems = checked.length || !escapes ? checked : inspectJson(parsed.data, line);
	return problems.length ? { issues: problems } : { value: parsed.data };
}

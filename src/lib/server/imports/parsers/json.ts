import type { z } from 'zod';
import type { ImportIssue } from '$lib/import-result';

/** Parses JSON text, or explains in one sentence why it is not JSON. */
export function parseJson(text: string): { value?: unknown; error?: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (e) {
		return {
			error: `This line is not valid JSON (${e instanceof Error ? e.message : String(e)}).`
		};
	}
}

/** zod's path ['responses', 1, 'content'] as people write it: responses[1].content. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
		.join('');
}

/** zod's complaints, each with its field as people write it: "responses[1].content must be …". */
export function zodIssues(error: z.ZodError, line: number): ImportIssue[] {
	return error.issues.map((issue) => {
		const path = formatPath(issue.path);
		return { line, path, message: `${path || 'The line'} ${issue.message}`.trim() };
	});
}

/** One JSONL record checked against its schema: the value, or every problem with its field. */
export function parseJsonLine<T>(
	text: string,
	line: number,
	schema: z.ZodType<T>
): { value: T; issues?: never } | { value?: never; issues: ImportIssue[] } {
	const json = parseJson(text);
	if (json.error) return { issues: [{ line, path: '', message: json.error }] };
	const parsed = schema.safeParse(json.value);
	return parsed.success ? { value: parsed.data } : { issues: zodIssues(parsed.error, line) };
}

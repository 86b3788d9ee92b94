import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';

/**
 * Checks of parsed JSON that no schema makes, because they are about what the value will cost
 * or become once stored, not about its shape. Every walk here is iterative: a line nested
 * 100,000 levels deep must not exhaust the stack of the walk that is meant to refuse it.
 */

/** zod's path ['responses', 1, 'content'] as people write it: responses[1].content. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
		.join('');
}

/** Deeper than this, a line is not a record but an attack or an accident. */
export const MAX_LINE_DEPTH = 64;
/** Metadata is shown on the item page and written out with every export. */
export const MAX_METADATA_DEPTH = 32;
export const MAX_METADATA_BYTES = 64 * 1024;
/** One bad line can hold thousands of bad strings; the first few say enough. */
const MAX_ISSUES_PER_LINE = 10;

type Frame = { value: unknown; key: string | number | null; parent: Frame | null; depth: number };

function pathOf(frame: Frame): string {
	const parts: (string | number)[] = [];
	for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) parts.push(f.key);
	return formatPath(parts.reverse());
}

/** The field where a value nested too deep begins, not the 64 levels below it. */
function topFieldOf(frame: Frame): string {
	let f = frame;
	while (f.parent && f.parent.key !== null) f = f.parent;
	return f.key === null ? '' : formatPath([f.key]);
}

/** Every container under `value` (itself included, at depth 1), depth first. */
function* containers(value: unknown): Generator<Frame> {
	const stack: Frame[] = [{ value, key: null, parent: null, depth: 1 }];
	for (let frame = stack.pop(); frame; frame = stack.pop()) {
		yield frame;
		const entries = Array.isArray(frame.value)
			? frame.value.map((v, i) => [i, v] as const)
			: Object.entries(frame.value as object);
		for (const [key, child] of entries) {
			if (child !== null && typeof child === 'object') {
				stack.push({ value: child, key, parent: frame, depth: frame.depth + 1 });
			}
		}
	}
}

/**
 * Lone UTF-16 surrogates (an escaped "\ud800" with no partner) in strings or keys, which
 * SQLite would store as bytes that are not UTF-8. Values come here after their schema, which
 * bounds their depth; MAX_LINE_DEPTH bounds the walk all the same.
 */
export function inspectJson(value: unknown, line: number): ImportIssue[] {
	const issues: ImportIssue[] = [];
	const surrogate = (frame: Frame, what: string) => {
		const path = pathOf(frame);
		issues.push({
			line,
			path,
			message: `${what || 'The line'} has a lone UTF-16 surrogate (an escape such as "\\ud800" without its pair), which is not text.`
		});
	};
	if (typeof value === 'string') {
		if (!value.isWellFormed()) surrogate({ value, key: null, parent: null, depth: 0 }, '');
		return issues;
	}
	if (value === null || typeof value !== 'object') return issues;
	for (const frame of containers(value)) {
		if (issues.length >= MAX_ISSUES_PER_LINE) break;
		if (frame.depth > MAX_LINE_DEPTH) {
			const path = topFieldOf(frame);
			issues.push({
				line,
				path,
				message: `${path || 'The line'} nests deeper than ${MAX_LINE_DEPTH} levels.`
			});
			break;
		}
		const isArray = Array.isArray(frame.value);
		for (const [key, child] of Object.entries(frame.value as object)) {
			if (!isArray && !key.isWellFormed())
				surrogate(frame, `A key in ${pathOf(frame) || 'the line'}`);
			if (typeof child === 'string' && !child.isWellFormed()) {
				const at = { value: child, key: isArray ? Number(key) : key, parent: frame, depth: 0 };
				surrogate(at, pathOf(at));
			}
		}
	}
	return issues.slice(0, MAX_ISSUES_PER_LINE);
}

/**
 * Metadata deeper than MAX_METADATA_DEPTH or larger than MAX_METADATA_BYTES once serialized:
 * either once imported fine and then broke every page that showed the item.
 */
export function metadataIssues(
	metadata: Record<string, unknown> | undefined,
	path: string,
	line: number
): ImportIssue[] {
	if (!metadata) return [];
	let depth = 0;
	for (const frame of containers(metadata)) {
		depth = Math.max(depth, frame.depth);
		if (depth > MAX_METADATA_DEPTH) {
			return [{ line, path, message: `${path} nests deeper than ${MAX_METADATA_DEPTH} levels.` }];
		}
	}
	const bytes = Buffer.byteLength(JSON.stringify(metadata));
	if (bytes > MAX_METADATA_BYTES) {
		return [
			{
				line,
				path,
				message: `${path} is ${formatCount(bytes)} bytes as JSON; the limit is ${MAX_METADATA_BYTES / 1024} KB.`
			}
		];
	}
	return [];
}

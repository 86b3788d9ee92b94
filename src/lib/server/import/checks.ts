import { countCharacters, formatCount, plural } from './issues';
import type { ImportIssue, ImportLimits } from './types';

export function checkResponseCount(
	count: number,
	line: number,
	limits: ImportLimits
): ImportIssue[] {
	// An item without responses has nothing to review, whatever the configured minimum.
	const minimum = Math.max(1, limits.minResponses);
	if (count < minimum) {
		const has = count === 0 ? 'has no responses' : `has only ${plural(count, 'response')}`;
		return [
			{
				line,
				path: 'responses',
				message: `${has}; an item needs at least ${formatCount(minimum)}`
			}
		];
	}
	if (count > limits.maxResponses) {
		return [
			{
				line,
				path: 'responses',
				message: `has ${formatCount(count)} responses; an item may have at most ${formatCount(limits.maxResponses)}`
			}
		];
	}
	return [];
}

export function checkResponseLength(
	content: string,
	line: number,
	path: string,
	limits: ImportLimits
): ImportIssue[] {
	if (content.length <= limits.maxResponseChars) return [];
	const length = countCharacters(content);
	if (length <= limits.maxResponseChars) return [];
	return [
		{
			line,
			path,
			message: `is ${formatCount(length)} characters long; a response may have at most ${formatCount(limits.maxResponseChars)}`
		}
	];
}

/** Leaves absent fields out entirely rather than set to undefined, so results compare cleanly. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
	return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

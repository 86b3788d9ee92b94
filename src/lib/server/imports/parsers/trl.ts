import { z } from 'zod';
import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import type { ImportLimits } from '../limits';
import { TURN_ROLES, type ParsedItem, type ParsedResponse, type Turn } from '../types';
import { expected, parseJsonLine } from './json';

const messages = z.array(
	z.object(
		{
			role: z.enum(TURN_ROLES, expected(`one of ${TURN_ROLES.join(', ')}`)),
			content: z.string(expected('a string'))
		},
		expected('a {"role", "content"} message')
	)
);
const side = z.union([z.string(), messages], expected('a string or a list of messages'));

const lineSchema = z.object(
	{
		prompt: side.optional(),
		chosen: side,
		rejected: side,
		score_chosen: z.number(expected('a number')).finite().optional(),
		score_rejected: z.number(expected('a number')).finite().optional()
	},
	expected('a JSON object')
);

type Side = z.infer<typeof side>;
type Messages = z.infer<typeof messages>;

function sameMessage(a: Messages[number], b: Messages[number]): boolean {
	return a.role === b.role && a.content === b.content;
}

/** A completion's text: a string as is, or its messages' contents one after another. */
function completionText(value: Side): string {
	return typeof value === 'string' ? value : value.map((m) => m.content).join('\n\n');
}

/**
 * Splits an implicit-prompt pair into the shared prompt and the two completions. For message
 * lists the prompt is the longest shared prefix of whole messages. For plain strings it is the
 * longest shared prefix cut back to the last whitespace, so a shared first word of both answers
 * is not mistaken for part of the prompt.
 */
function splitImplicit(
	chosen: Side,
	rejected: Side
): { prompt: Turn[]; chosen: string; rejected: string } | { error: string } {
	if (typeof chosen === 'string' && typeof rejected === 'string') {
		let n = 0;
		while (n < chosen.length && n < rejected.length && chosen[n] === rejected[n]) n += 1;
		const cut = chosen.slice(0, n).search(/\s\S*$/);
		const end = n === chosen.length || n === rejected.length ? n : cut;
		if (end <= 0) {
			return {
				error: 'has no prompt, and chosen and rejected share no opening text to take as one'
			};
		}
		return {
			prompt: [{ role: 'user', content: chosen.slice(0, end) }],
			chosen: chosen.slice(end),
			rejected: rejected.slice(end)
		};
	}
	if (typeof chosen === 'string' || typeof rejected === 'string') {
		return { error: 'mixes a string and a message list in chosen and rejected' };
	}
	let n = 0;
	while (n < chosen.length && n < rejected.length && sameMessage(chosen[n], rejected[n])) n += 1;
	if (n === 0) return { error: 'has no prompt, and chosen and rejected share no opening messages' };
	if (n === chosen.length || n === rejected.length) {
		return { error: 'has a chosen or rejected conversation with nothing after the shared prompt' };
	}
	return {
		prompt: chosen.slice(0, n),
		chosen: completionText(chosen.slice(n)),
		rejected: completionText(rejected.slice(n))
	};
}

/**
 * One line of TRL preference JSONL. The file's preference becomes the AI suggestion: chosen is
 * ranked 1 and rejected 2, for the reviewers to confirm or overturn.
 */
export function parseTrlLine(
	text: string,
	line: number,
	traitKey: string,
	limits: ImportLimits
): { item?: ParsedItem; issues: ImportIssue[] } {
	const { value: v, issues: lineIssues } = parseJsonLine(text, line, lineSchema);
	if (lineIssues) return { issues: lineIssues };
	let prompt: Turn[];
	let chosen: string;
	let rejected: string;
	if (v.prompt === undefined) {
		const split = splitImplicit(v.chosen, v.rejected);
		if ('error' in split)
			return { issues: [{ line, path: 'prompt', message: `The line ${split.error}.` }] };
		({ prompt, chosen, rejected } = split);
	} else {
		prompt = typeof v.prompt === 'string' ? [{ role: 'user', content: v.prompt }] : v.prompt;
		chosen = completionText(v.chosen);
		rejected = completionText(v.rejected);
	}
	const issues: ImportIssue[] = [];
	for (const [name, content] of [
		['chosen', chosen],
		['rejected', rejected]
	] as const) {
		if (content.length > limits.maxResponseChars) {
			issues.push({
				line,
				path: name,
				message: `${name} is longer than the limit of ${formatCount(limits.maxResponseChars)} characters`
			});
		}
	}
	if (issues.length) return { issues };
	const responses: ParsedResponse[] = [
		{ content: chosen, aiRank: 1, aiScore: v.score_chosen, metadata: { trl: 'chosen' } },
		{ content: rejected, aiRank: 2, aiScore: v.score_rejected, metadata: { trl: 'rejected' } }
	];
	return { issues: [], item: { line, traitKey, prompt, responses } };
}

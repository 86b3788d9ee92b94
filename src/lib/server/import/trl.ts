import { z } from 'zod';
import { checkResponseCount, checkResponseLength, isPlainObject, optional } from './checks';
import { friendlyMessage, parseJson, plural, toImportIssues } from './issues';
import { emptyFileIssue, type LineParse, type NativeResult } from './native';
import type {
	ImportIssue,
	ImportLimits,
	LineResult,
	ParsedItem,
	ParsedResponse,
	Turn
} from './types';

/*
 * TRL preference data (https://huggingface.co/docs/trl/dataset_formats): every line is a pair,
 * chosen then rejected, which become responses ranked 1 and 2 by the "AI" (the file's author)
 * for reviewers to confirm or overturn. Decisions for the ambiguous cases:
 *
 * - A response is a string, or a list of exactly one assistant message. A longer list would be
 *   several turns, which a reviewer cannot score as one answer, so it is an issue.
 * - Implicit prompt, conversational: the longest run of identical leading messages of chosen
 *   and rejected is the prompt; what is left of each must be exactly one assistant message.
 * - Implicit prompt, standard (plain strings): there is no marker between prompt and answer, so
 *   the prompt is the longest common prefix, cut back to just after the last "Assistant:" in it
 *   (the Anthropic HH layout) or else to its last whitespace, so no word is split. Concatenating
 *   prompt and response gives back the original string exactly. An empty prompt is an issue.
 * - score_chosen / score_rejected become aiScore. A lone margin becomes aiScore margin for chosen
 *   and 0 for rejected, so the score difference is the margin; it is also kept in metadata.
 * - Other fields of the line are kept in item metadata; a string "id" becomes the external id.
 */

const messageSchema = z.object({
	role: z.enum(['system', 'developer', 'user', 'assistant']),
	content: z.string()
});

const sideSchema = z.union([z.string().min(1), z.array(messageSchema).min(1)], {
	error: (issue) =>
		issue.input === undefined
			? 'is missing'
			: 'must be text or a list of {"role", "content"} messages'
});

const lineSchema = z.looseObject({
	id: z.union([z.string(), z.number()]).optional(),
	prompt: sideSchema.optional(),
	chosen: sideSchema,
	rejected: sideSchema,
	margin: z.number().optional(),
	score_chosen: z.number().optional(),
	score_rejected: z.number().optional()
});

type TrlLine = z.infer<typeof lineSchema>;
type Side = z.infer<typeof sideSchema>;
type Message = z.infer<typeof messageSchema>;

const KNOWN_FIELDS = new Set([
	'id',
	'prompt',
	'chosen',
	'rejected',
	'margin',
	'score_chosen',
	'score_rejected'
]);

type Split = { prompt: Turn[]; chosen: string; rejected: string } | { issues: ImportIssue[] };

/** Parses one TRL line into an item of the trait that the caller chose for the whole file. */
export function parseTrlLine(
	text: string,
	line: number,
	traitKey: string,
	limits: ImportLimits
): LineParse {
	const json = parseJson(text, line);
	if (!json.ok) return { issues: [json.issue] };
	if (!isPlainObject(json.value)) {
		return { issues: [{ line, path: '', message: 'must be a JSON object ({...}), one per line' }] };
	}
	const result = lineSchema.safeParse(json.value, { error: friendlyMessage });
	if (!result.success) return { issues: toImportIssues(result.error.issues, line) };
	const split = splitPair(result.data, line);
	if ('issues' in split) return split;
	const issues = [
		...checkResponseCount(2, line, limits),
		...checkResponseLength(split.chosen, line, 'chosen', limits),
		...checkResponseLength(split.rejected, line, 'rejected', limits)
	];
	if (issues.length > 0) return { issues };
	return { item: toItem(result.data, split, line, traitKey), issues: [] };
}

/** Streams a TRL file; the same shape of results as `parseNative`. */
export async function* parseTrl(
	lines: AsyncIterable<LineResult> | Iterable<LineResult>,
	traitKey: string,
	limits: ImportLimits
): AsyncGenerator<NativeResult> {
	let sawLine = false;
	for await (const entry of lines) {
		sawLine = true;
		if ('error' in entry) {
			yield { line: entry.line, issues: [{ line: entry.line, path: '', message: entry.error }] };
		} else {
			yield { line: entry.line, ...parseTrlLine(entry.text, entry.line, traitKey, limits) };
		}
	}
	if (!sawLine) yield { line: 0, issues: [emptyFileIssue()] };
}

function splitPair(data: TrlLine, line: number): Split {
	if (data.prompt !== undefined)
		return splitExplicit(data.prompt, data.chosen, data.rejected, line);
	if (typeof data.chosen === 'string' && typeof data.rejected === 'string') {
		return splitImplicitStandard(data.chosen, data.rejected, line);
	}
	if (Array.isArray(data.chosen) && Array.isArray(data.rejected)) {
		return splitImplicitConversational(data.chosen, data.rejected, line);
	}
	return issue(
		line,
		'rejected',
		'must have the same form as "chosen": both text or both lists of messages'
	);
}

function splitExplicit(prompt: Side, chosen: Side, rejected: Side, line: number): Split {
	const chosenText = responseText(chosen, line, 'chosen');
	const rejectedText = responseText(rejected, line, 'rejected');
	const issues = [chosenText, rejectedText].flatMap((side) =>
		'issue' in side ? [side.issue] : []
	);
	if ('issue' in chosenText || 'issue' in rejectedText) return { issues };
	return { prompt: toTurns(prompt), chosen: chosenText.text, rejected: rejectedText.text };
}

function responseText(
	side: Side,
	line: number,
	path: string
): { text: string } | { issue: ImportIssue } {
	if (typeof side === 'string') return { text: side };
	return singleAssistantMessage(side, line, path);
}

/** `offset` is where `messages` starts within the field, so paths point at the right entry. */
function singleAssistantMessage(
	messages: Message[],
	line: number,
	path: string,
	offset = 0
): { text: string } | { issue: ImportIssue } {
	if (messages.length !== 1 || messages[0].role !== 'assistant') {
		const expected =
			offset === 0
				? 'must be exactly one assistant message'
				: `must end, after the ${plural(offset, 'message')} it shares with the other side, with exactly one assistant message`;
		return { issue: { line, path, message: `${expected}, but has ${describeMessages(messages)}` } };
	}
	if (messages[0].content === '') {
		return { issue: { line, path: `${path}[${offset}].content`, message: 'must not be empty' } };
	}
	return { text: messages[0].content };
}

function describeMessages(messages: Message[]): string {
	if (messages.length === 0) return 'none';
	const roles = messages.map((message) => message.role).join(', ');
	return `${plural(messages.length, 'message')} (${roles})`;
}

function splitImplicitConversational(chosen: Message[], rejected: Message[], line: number): Split {
	const shared = sharedMessageCount(chosen, rejected);
	if (shared === 0) {
		return issue(
			line,
			'chosen',
			'shares no first message with "rejected", so the prompt cannot be found; add a "prompt" field'
		);
	}
	const chosenText = singleAssistantMessage(chosen.slice(shared), line, 'chosen', shared);
	const rejectedText = singleAssistantMessage(rejected.slice(shared), line, 'rejected', shared);
	const issues = [chosenText, rejectedText].flatMap((side) =>
		'issue' in side ? [side.issue] : []
	);
	if ('issue' in chosenText || 'issue' in rejectedText) return { issues };
	return { prompt: chosen.slice(0, shared), chosen: chosenText.text, rejected: rejectedText.text };
}

function sharedMessageCount(chosen: Message[], rejected: Message[]): number {
	let count = 0;
	while (
		count < chosen.length &&
		count < rejected.length &&
		chosen[count].role === rejected[count].role &&
		chosen[count].content === rejected[count].content
	) {
		count += 1;
	}
	return count;
}

function splitImplicitStandard(chosen: string, rejected: string, line: number): Split {
	if (chosen === rejected) return issue(line, 'rejected', 'is identical to "chosen"');
	const cut = promptBoundary(commonPrefix(chosen, rejected));
	if (cut === 0) {
		return issue(
			line,
			'chosen',
			'shares no prompt text with "rejected" (no common start ending in a space or "Assistant:"); add a "prompt" field'
		);
	}
	const chosenRest = chosen.slice(cut);
	const rejectedRest = rejected.slice(cut);
	if (chosenRest === '' || rejectedRest === '') {
		const path = chosenRest === '' ? 'chosen' : 'rejected';
		return issue(line, path, 'has nothing left after the prompt it shares with the other side');
	}
	return {
		prompt: [{ role: 'user', content: chosen.slice(0, cut) }],
		chosen: chosenRest,
		rejected: rejectedRest
	};
}

function commonPrefix(a: string, b: string): string {
	let length = 0;
	while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
	return a.slice(0, length);
}

/** Where the prompt ends within the shared prefix: see the heuristic at the top of the file. */
function promptBoundary(prefix: string): number {
	const marker = prefix.lastIndexOf('Assistant:');
	if (marker !== -1) return marker + 'Assistant:'.length;
	const space = Math.max(
		prefix.lastIndexOf(' '),
		prefix.lastIndexOf('\n'),
		prefix.lastIndexOf('\t')
	);
	return space + 1;
}

function toTurns(prompt: Side): Turn[] {
	return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

function toItem(
	data: TrlLine,
	split: { prompt: Turn[]; chosen: string; rejected: string },
	line: number,
	traitKey: string
): ParsedItem {
	const metadata = extraFields(data);
	return {
		line,
		...optional('externalId', data.id === undefined ? undefined : String(data.id)),
		traitKey,
		prompt: split.prompt,
		responses: [
			toResponse(split.chosen, 1, chosenScore(data)),
			toResponse(split.rejected, 2, rejectedScore(data))
		],
		...optional('metadata', Object.keys(metadata).length > 0 ? metadata : undefined)
	};
}

function toResponse(content: string, aiRank: number, aiScore: number | undefined): ParsedResponse {
	return { content, ...optional('aiScore', aiScore), aiRank };
}

function chosenScore(data: TrlLine): number | undefined {
	if (data.score_chosen !== undefined) return data.score_chosen;
	return data.score_rejected === undefined ? data.margin : undefined;
}

function rejectedScore(data: TrlLine): number | undefined {
	if (data.score_rejected !== undefined) return data.score_rejected;
	return data.score_chosen === undefined && data.margin !== undefined ? 0 : undefined;
}

function extraFields(data: TrlLine): Record<string, unknown> {
	const extra = Object.fromEntries(Object.entries(data).filter(([key]) => !KNOWN_FIELDS.has(key)));
	return data.margin === undefined ? extra : { ...extra, margin: data.margin };
}

function issue(line: number, path: string, message: string): Split {
	return { issues: [{ line, path, message }] };
}

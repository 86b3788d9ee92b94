import { stringify } from 'csv-stringify/sync';
import type { ExportFormat } from '$lib/export-options';
import type { Turn } from '../imports';
import type { ItemRecord, ResponseRecord, ReviewRecord } from '../item-records';
import type { PreferencePair } from '../stats';
import type { Selected } from './select';

/** Carried by every line, so a training example can be traced back to its item and reviews. */
export type LineMetadata = {
	item_id: string;
	trait_key: string;
	trait_version: number;
	batch: string;
	review_count: number;
	agreement: number | null;
};

export type FormatContext = {
	format: ExportFormat;
	includeMargin: boolean;
	/** Reviewer pseudonyms: exports never carry who a reviewer is. */
	reviewerName: (userId: number) => string;
};

/** Four decimals: enough for any mean of a handful of scores, and tidy to read. */
function round(value: number | null): number | null {
	return value === null ? null : Math.round(value * 1e4) / 1e4;
}

export function lineMetadata(selected: Selected): LineMetadata {
	const { item } = selected;
	return {
		item_id: item.externalId,
		trait_key: item.traitKey,
		trait_version: item.traitVersion,
		batch: item.batchName,
		review_count: item.reviews.length,
		agreement: round(selected.agreement)
	};
}

const ROLE_NAMES: Record<Turn['role'], string> = {
	system: 'System',
	developer: 'Developer',
	user: 'User',
	assistant: 'Assistant',
	tool: 'Tool'
};

/**
 * The prompt as one string for the standard (non-conversational) formats: a lone user message
 * as it is, a conversation as labelled turns. Conversational formats keep the turns.
 */
export function promptAsText(prompt: readonly Turn[]): string {
	if (prompt.length === 1 && prompt[0].role === 'user') return prompt[0].content;
	return prompt.map((turn) => `${ROLE_NAMES[turn.role]}: ${turn.content}`).join('\n\n');
}

/**
 * Anthropic HH transcripts know only Human and Assistant. System and developer instructions and
 * tool output go at the top of the next human turn, so nothing the model was told is lost.
 */
export function hhTranscript(prompt: readonly Turn[], answer: string): string {
	let text = '';
	let pending: string[] = [];
	for (const turn of prompt) {
		if (turn.role === 'system' || turn.role === 'developer' || turn.role === 'tool')
			pending.push(turn.content);
		else if (turn.role === 'user') {
			text += `\n\nHuman: ${[...pending, turn.content].join('\n\n')}`;
			pending = [];
		} else text += `\n\nAssistant: ${turn.content}`;
	}
	if (pending.length > 0) text += `\n\nHuman: ${pending.join('\n\n')}`;
	return `${text}\n\nAssistant: ${answer}`;
}

function responseText(item: ItemRecord, id: string): string {
	const response = item.responses.find((r) => String(r.id) === id);
	if (!response) throw new Error(`Response ${id} is not in item ${item.id}`);
	return response.content;
}

const assistant = (content: string) => [{ role: 'assistant' as const, content }];

function pairLine(
	ctx: FormatContext,
	item: ItemRecord,
	pair: PreferencePair,
	metadata: LineMetadata
): object {
	const chosen = responseText(item, pair.chosen);
	const rejected = responseText(item, pair.rejected);
	const margin = ctx.includeMargin ? { margin: round(pair.margin) } : {};
	switch (ctx.format) {
		case 'trl':
			return { prompt: promptAsText(item.prompt), chosen, rejected, ...margin, metadata };
		case 'trl-conversational':
			return {
				prompt: item.prompt,
				chosen: assistant(chosen),
				rejected: assistant(rejected),
				...margin,
				metadata
			};
		case 'openai':
			return {
				input: { messages: item.prompt },
				preferred_output: assistant(chosen),
				non_preferred_output: assistant(rejected),
				metadata
			};
		case 'hh':
			return {
				chosen: hhTranscript(item.prompt, chosen),
				rejected: hhTranscript(item.prompt, rejected),
				metadata
			};
		default:
			throw new Error(`${ctx.format} is not a pair format`);
	}
}

/**
 * KTO takes single completions labelled desirable or not: each pair gives its chosen response
 * as desirable and its rejected one as undesirable (as TRL's unpairing does), each response
 * and label once per item.
 */
function ktoLines(item: ItemRecord, pairs: readonly PreferencePair[], metadata: LineMetadata) {
	const prompt = promptAsText(item.prompt);
	const seen = new Set<string>();
	const lines: object[] = [];
	const add = (id: string, label: boolean) => {
		const key = `${id}:${label}`;
		if (seen.has(key)) return;
		seen.add(key);
		lines.push({ prompt, completion: responseText(item, id), label, metadata });
	};
	for (const pair of pairs) {
		add(pair.chosen, true);
		add(pair.rejected, false);
	}
	return lines;
}

function reviewLine(
	ctx: FormatContext,
	item: ItemRecord,
	review: ReviewRecord,
	metadata: LineMetadata
): object {
	return {
		batch: item.batchName,
		item_id: item.externalId,
		trait_key: item.traitKey,
		trait_version: review.traitVersion,
		reviewer: ctx.reviewerName(review.userId),
		responses: item.responses.map((response) => ({
			position: response.position,
			external_id: response.externalId,
			model: response.model,
			score: review.scores[response.id] ?? null,
			rank: review.ranks[response.id] ?? null,
			comment: review.comments[response.id] ?? ''
		})),
		overall_comment: review.overallComment,
		flags: review.flags,
		time_spent_ms: review.timeSpentMs,
		submitted_at: review.submittedAt === null ? null : new Date(review.submittedAt).toISOString(),
		metadata
	};
}

export const CSV_COLUMNS = [
	'batch',
	'item_id',
	'trait_key',
	'trait_version',
	'reviewer',
	'response_position',
	'response_external_id',
	'model',
	'score',
	'rank',
	'comment',
	'overall_comment',
	'flags',
	'time_spent_ms',
	'submitted_at',
	'review_count',
	'agreement'
] as const;

/**
 * Spreadsheets run a cell that starts with =, +, - or @ (and tab or carriage return, which some
 * of them skip first) as a formula. A leading apostrophe makes it text. Numbers are left alone:
 * a negative agreement is a number, not a formula.
 */
export function neutraliseFormula(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRows(ctx: FormatContext, item: ItemRecord, review: ReviewRecord, meta: LineMetadata) {
	return item.responses.map((response: ResponseRecord) => [
		item.batchName,
		item.externalId,
		item.traitKey,
		review.traitVersion,
		ctx.reviewerName(review.userId),
		response.position,
		response.externalId ?? '',
		response.model ?? '',
		review.scores[response.id] ?? '',
		review.ranks[response.id] ?? '',
		review.comments[response.id] ?? '',
		review.overallComment,
		review.flags.join(';'),
		review.timeSpentMs,
		review.submittedAt === null ? '' : new Date(review.submittedAt).toISOString(),
		meta.review_count,
		meta.agreement ?? ''
	]);
}

const csvOptions = {
	cast: { string: neutraliseFormula, number: (n: number) => String(n) },
	eof: true,
	record_delimiter: '\n',
	// csv-stringify quotes a cell holding the record delimiter (\n) but not a bare \r, which
	// Python's csv and spreadsheets read as a line break: `ok\r+1+1` became an extra row.
	quoted_match: /[\r\n]/
} as const;

export function csvHeader(): string {
	return stringify([[...CSV_COLUMNS]], csvOptions);
}

/**
 * The rows one selected item contributes, as objects (for previews) and as the file's text.
 * JSONL rows are one JSON object per line; CSV rows one line per review and response.
 */
export function itemRows(ctx: FormatContext, selected: Selected): { rows: object[]; text: string } {
	const { item } = selected;
	const metadata = lineMetadata(selected);
	if (ctx.format === 'reviews-csv') {
		const cells = item.reviews.flatMap((review) => csvRows(ctx, item, review, metadata));
		const rows = cells.map((row) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]])));
		return { rows, text: cells.length ? stringify(cells, csvOptions) : '' };
	}
	let rows: object[];
	if (ctx.format === 'reviews-jsonl') {
		rows = item.reviews.map((review) => reviewLine(ctx, item, review, metadata));
	} else if (ctx.format === 'kto') {
		rows = ktoLines(item, selected.pairs, metadata);
	} else {
		rows = selected.pairs.map((pair) => pairLine(ctx, item, pair, metadata));
	}
	let text = '';
	for (const row of rows) text += JSON.stringify(row) + '\n';
	return { rows, text };
}

import type { ExportFormat } from '$lib/export-options';
import type { Turn } from '../../imports';
import type { ItemRecord, ResponseRecord, ReviewRecord } from '../../item-records';
import type { Selected } from '../select';
import type { ConversionNotes, ReshapedRoles } from './conversation';

/** Carried by every line, so a training example can be traced back to its item and reviews. */
export type LineMetadata = {
	item_id: string;
	trait_key: string;
	trait_version: number;
	batch: string;
	review_count: number;
	agreement: number | null;
	/** Only on a gold item's lines. */
	gold?: true;
	/** With the `rationale` option: evidence spans behind the line's responses. */
	chosen_evidence?: object[];
	rejected_evidence?: object[];
	completion_evidence?: object[];
};

export type FormatContext = {
	format: ExportFormat;
	includeMargin: boolean;
	/** False for trainers that refuse keys they do not know. */
	includeMetadata: boolean;
	/** OpenRLHF: the prompt under `prompt` instead of at the head of `chosen` and `rejected`. */
	separatePrompt: boolean;
	/** Pair formats: the reviewers' evidence spans in `metadata`, as the pair's rationale. */
	rationale?: boolean;
	/** Reviewer pseudonyms: exports never carry who a reviewer is. */
	reviewerName: (userId: number) => string;
	/** What the format had to change in the prompts, counted here for the card and preview. */
	notes: ConversionNotes;
	/** Given by the content checks only: the roles the writer had to reshape in this prompt. */
	reshaped?: ReshapedRoles;
};

/** Four decimals: enough for any mean of a handful of scores, and tidy to read. */
export function round(value: number | null): number | null {
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
		agreement: round(selected.agreement),
		...(selected.gold && { gold: true as const })
	};
}

/** `metadata` last on the line, unless the export leaves it out. */
export function withMetadata(
	ctx: Pick<FormatContext, 'includeMetadata'>,
	line: object,
	metadata: LineMetadata
): object {
	return ctx.includeMetadata ? { ...line, metadata } : line;
}

/** One pair's line from its answers; `margin` is undefined when the export does not ask for it. */
export type PairLine = (
	chosen: string,
	rejected: string,
	margin: number | null | undefined
) => object;

/**
 * Reads an item's prompt once for a format, counting what it had to change, and gives the
 * writer of each pair's line; null when the format cannot hold this prompt.
 */
export type PairWriter = (prompt: readonly Turn[], ctx: FormatContext) => PairLine | null;

export const marginField = (margin: number | null | undefined) =>
	margin === undefined ? {} : { margin };

/** One evidence span as files carry it: offsets into the raw response text, and that text. */
export function evidenceOf(review: ReviewRecord, response: ResponseRecord) {
	return (review.evidence ?? [])
		.filter((span) => span.responseId === response.id)
		.map((span) => ({
			start: span.start,
			end: span.end,
			stance: span.stance,
			note: span.note,
			text: response.content.slice(span.start, span.end)
		}));
}

/** Every review's spans on one response, each naming its reviewer: a pair's rationale. */
function responseEvidence(ctx: FormatContext, item: ItemRecord, responseId: string) {
	const response = item.responses.find((r) => String(r.id) === responseId);
	if (!response) return [];
	return item.reviews.flatMap((review) =>
		evidenceOf(review, response).map((span) => ({
			reviewer: ctx.reviewerName(review.userId),
			...span
		}))
	);
}

/**
 * The metadata of one pair's line: with `rationale`, the spans behind its chosen and rejected
 * responses (or, for a KTO line, behind its one completion); otherwise the item's metadata.
 */
export function pairMetadata(
	ctx: FormatContext,
	item: ItemRecord,
	metadata: LineMetadata,
	responses: { chosen: string; rejected: string } | { completion: string }
): LineMetadata {
	if (!ctx.rationale) return metadata;
	if ('completion' in responses) {
		return { ...metadata, completion_evidence: responseEvidence(ctx, item, responses.completion) };
	}
	return {
		...metadata,
		chosen_evidence: responseEvidence(ctx, item, responses.chosen),
		rejected_evidence: responseEvidence(ctx, item, responses.rejected)
	};
}

import { MARGIN_FORMATS, type ExportFormat } from '$lib/export-options';
import type { Turn } from '../../imports';
import type { ItemRecord } from '../../item-records';
import type { Selected } from '../select';
import { axolotl } from './axolotl';
import { hh } from './hh';
import {
	lineMetadata,
	pairMetadata,
	round,
	withMetadata,
	type FormatContext,
	type PairWriter
} from './line';
import { llamaFactoryAlpaca, llamaFactorySharegpt } from './llama-factory';
import { openaiDpo } from './openai';
import { openrlhf } from './openrlhf';
import { CSV_COLUMNS, csvRows, csvText, reviewLine } from './reviews';
import { ktoLines, trlConversational, trlStandard } from './trl';

/**
 * The line formats, one file per trainer. Each pair format reads an item's prompt once and
 * writes one line per pair; what a format had to change in a prompt is counted in the
 * context's notes, for the card and the preview.
 */

export { describeNotes, type ConversionNotes, type ReshapedRoles } from './conversation';
export { hhTranscript } from './hh';
export { lineMetadata, type FormatContext, type LineMetadata } from './line';
export { datasetInfoEntry, isLlamaFactoryFormat } from './llama-factory';
export { CSV_COLUMNS, csvHeader, neutraliseFormula } from './reviews';
export { promptAsText } from './trl';

const PAIR_WRITERS: Partial<Record<ExportFormat, PairWriter>> = {
	trl: trlStandard,
	'trl-conversational': trlConversational,
	'llama-factory-alpaca': llamaFactoryAlpaca,
	'llama-factory-sharegpt': llamaFactorySharegpt,
	openrlhf,
	axolotl,
	hh,
	openai: openaiDpo
};

export function supportsMargin(format: ExportFormat): boolean {
	return MARGIN_FORMATS.includes(format);
}

/**
 * How a format writes one prompt, found by running its own writer on it: whether it writes the
 * prompt at all, and the roles it had to reshape (none for the formats that keep every turn).
 */
export function promptFit(
	format: ExportFormat,
	prompt: readonly Turn[]
): { written: boolean; reshaped: Turn['role'][] } {
	const writer = PAIR_WRITERS[format];
	if (!writer) return { written: true, reshaped: [] };
	const reshaped = new Set<Turn['role']>();
	const ctx: FormatContext = {
		format,
		includeMargin: false,
		includeMetadata: false,
		separatePrompt: false,
		reviewerName: String,
		notes: {},
		reshaped
	};
	const written = writer(prompt, ctx) !== null;
	return { written, reshaped: [...reshaped].sort() };
}

/** A response's text by the id a pair names it with. */
export function responseText(item: ItemRecord, id: string): string {
	const response = item.responses.find((r) => String(r.id) === id);
	if (!response) throw new Error(`Response ${id} is not in item ${item.id}`);
	return response.content;
}

function jsonRows(ctx: FormatContext, selected: Selected): object[] {
	const { item, pairs } = selected;
	const metadata = lineMetadata(selected);
	if (ctx.format === 'reviews-jsonl') {
		return item.reviews.map((review) => reviewLine(ctx, item, review, metadata));
	}
	if (ctx.format === 'kto') {
		return ktoLines(
			item,
			pairs,
			(id) => responseText(item, id),
			(line, completion) =>
				withMetadata(ctx, line, pairMetadata(ctx, item, metadata, { completion }))
		);
	}
	const writer = PAIR_WRITERS[ctx.format];
	if (!writer) throw new Error(`${ctx.format} is not a pair format`);
	const line = writer(item.prompt, ctx);
	if (!line) return [];
	const withMargin = ctx.includeMargin && supportsMargin(ctx.format);
	return pairs.map((pair) =>
		withMetadata(
			ctx,
			line(
				responseText(item, pair.chosen),
				responseText(item, pair.rejected),
				withMargin ? round(pair.margin) : undefined
			),
			pairMetadata(ctx, item, metadata, pair)
		)
	);
}

/**
 * The rows one selected item contributes, as objects (for previews) and as the file's text.
 * JSONL rows are one JSON object per line; CSV rows one line per review and response.
 */
export function itemRows(ctx: FormatContext, selected: Selected): { rows: object[]; text: string } {
	if (ctx.format === 'reviews-csv') {
		const metadata = lineMetadata(selected);
		const { item } = selected;
		const cells = item.reviews.flatMap((review) => csvRows(ctx, item, review, metadata));
		const rows = cells.map((row) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]])));
		return { rows, text: csvText(cells) };
	}
	const rows = jsonRows(ctx, selected);
	let text = '';
	for (const row of rows) text += JSON.stringify(row) + '\n';
	return { rows, text };
}

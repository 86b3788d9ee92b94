import { FORMAT_LABELS, STRATEGY_LABELS } from '$lib/export-options';
import { formatCount, formatFixed } from '$lib/format';
import type { AlphaReading } from '../dashboard';
import type { Export } from '../db/schema';
import type { ExportBatch } from './batches';
import { describeScreening, type Screening } from './checks';
import { supportsMargin } from './formats';
import { isPairFormat, type ExportOptions } from './options';
import type { ExportCounts } from './records';
import { describeDrops } from './select';

export type CardInput = {
	record: Pick<Export, 'id' | 'fileName' | 'sha256' | 'bytes' | 'rowCount' | 'createdAt'>;
	options: ExportOptions;
	batches: ExportBatch[];
	warnings: string[];
	counts: ExportCounts;
	agreement: ({ batchId: number } & AlphaReading)[];
	createdBy: string | null;
	/** What the content checks and conflict detection found and left out (pair formats). */
	screening?: Screening | null;
};

const FIELDS: Record<ExportOptions['format'], string> = {
	trl: '`prompt` (text), `chosen`, `rejected` (text), optional `margin` (mean score of chosen minus rejected), `metadata`.',
	'trl-conversational':
		'`prompt` (list of `{role, content}` messages), `chosen` and `rejected` (one assistant message each), optional `margin`, `metadata`.',
	kto: '`prompt` (text), `completion` (text), `label` (true: preferred, false: not), `metadata`. Each pair gives its chosen response as `true` and its rejected one as `false`.',
	'llama-factory-alpaca':
		'`instruction` (the last user turn), `input` (empty), `chosen`, `rejected` (text), `system` (the system text, or empty), `history` (earlier turns as `[user, assistant]` pairs), `metadata`. Register it in LLaMA-Factory with the `dataset_info.json` entry given with the export.',
	'llama-factory-sharegpt':
		'`conversations` (`{from, value}` messages: `system` first if any, then `human` and `gpt` in turn, ending on `human`), `chosen` and `rejected` (one `{from: gpt, value}` message each), `metadata`. Register it in LLaMA-Factory with the `dataset_info.json` entry given with the export.',
	openrlhf:
		'`chosen` and `rejected`: the prompt’s messages followed by the answer as an assistant message (or, with a separate prompt, `prompt` as messages and each answer a list of one assistant message), optional `margin`, `metadata`. Train with `--apply_chat_template --chosen_key chosen --rejected_key rejected` (and `--prompt_key prompt`).',
	axolotl:
		'`messages` (the prompt: `system`, `user` and `assistant` messages), `chosen` and `rejected` (one assistant message each), `metadata`. Use `type: chat_template.default` with `rl: dpo`.',
	openai:
		'`input.messages` (the prompt: `system`, `user` and `assistant` messages only), `preferred_output` and `non_preferred_output` (one assistant message each), `metadata` unless left out. Legacy: OpenAI is winding down its fine-tuning platform.',
	hh: '`chosen` and `rejected`: full transcripts, `\\n\\nHuman: …\\n\\nAssistant: …`, opening on a Human turn, `metadata`.',
	'reviews-jsonl':
		'One line per submitted review: `batch`, `item_id`, `trait_key`, `trait_version` (shown to the reviewer), `reviewer` (pseudonym), `responses` (`position`, `external_id`, `model`, `score`, `rank`, `comment`), `overall_comment`, `flags`, `time_spent_ms`, `submitted_at`, `metadata`.',
	'reviews-csv':
		'One row per review and response, with a header row. Cells that would start with `=`, `+`, `-` or `@` begin with an apostrophe so spreadsheets do not run them.'
};

/** The dataset card: what the file is, where it came from, and how it was made, in markdown. */
export function writeDatasetCard(input: CardInput): string {
	const { record, options } = input;
	return [
		`# Trait Review export ${record.id}`,
		'',
		`- **Format:** ${FORMAT_LABELS[options.format]}`,
		`- **File:** \`${record.fileName}\`, ${formatCount(record.rowCount)} ${options.format === 'reviews-csv' ? 'rows' : 'lines'}, ${formatCount(record.bytes)} bytes`,
		`- **SHA-256:** \`${record.sha256}\``,
		`- **Created:** ${record.createdAt.toISOString()} by ${input.createdBy ?? 'the command line'}`,
		'',
		...datasetCardSections(input)
	].join('\n');
}

/**
 * The card from its batches on: everything but the lines on the file itself. A dataset folder's
 * README.md has these too, under its own lines on the files it holds.
 */
export function datasetCardSections(input: Omit<CardInput, 'record'>): string[] {
	const { options, counts } = input;
	const pairFormat = isPairFormat(options.format);
	return [
		'## Batches',
		'',
		'| batch | status | items | submitted reviews | agreement (α ordinal / interval) |',
		'| --- | --- | --- | --- | --- |',
		...input.batches.map((batch) => {
			const a = input.agreement.find((x) => x.batchId === batch.id);
			return `| ${batch.name} | ${batch.status} | ${formatCount(batch.items)} | ${formatCount(batch.reviews)} | ${a ? `${formatFixed(a.ordinal)} / ${formatFixed(a.interval)}: ${a.reading}` : 'n/a'} |`;
		}),
		// One paragraph each: quoted lines in a row would run together.
		...input.warnings.flatMap((w) => ['', `> **Warning:** ${w}`]),
		'',
		'## Counts',
		'',
		`- Items in: ${counts.itemsIn}`,
		...describeDrops(counts.itemsOut).map((d) => `- Items out, ${d.reason}: ${d.count}`),
		`- ${pairFormat ? (options.format === 'kto' ? 'Completions' : 'Pairs') : 'Rows'}: ${counts.rows}`,
		'',
		...describeScreening(input.screening),
		'## Settings',
		'',
		...(pairFormat
			? [
					`- Pairing: ${STRATEGY_LABELS[options.strategy]}`,
					`- Minimum margin: ${options.minMargin}`,
					...(supportsMargin(options.format)
						? [`- Margin field: ${options.includeMargin ? 'yes' : 'no'}`]
						: []),
					...(options.format === 'openrlhf'
						? [`- Separate prompt key: ${options.separatePrompt ? 'yes' : 'no'}`]
						: []),
					...(options.rationale ? ['- Evidence spans in metadata (rationale): yes'] : [])
				]
			: []),
		`- Minimum reviews per item: ${options.minReviews}`,
		`- Minimum item agreement (mean Kendall τ between reviewers): ${options.minAgreement ?? 'none'}`,
		`- Flagged items: ${options.excludeFlagged ? 'left out unless adjudicated' : 'kept'}`,
		`- Locked batches only: ${options.lockedOnly ? 'yes' : 'no'}`,
		`- Gold items: ${!pairFormat ? 'kept, marked `gold: true` in their metadata' : options.includeGold ? 'included' : 'left out'}`,
		`- Metadata on every line: ${options.includeMetadata ? 'yes' : 'no'}`,
		...(options.output === 'hf-dataset'
			? [
					`- Test split: ${options.testShare > 0 ? `${options.testShare} of the items, seed ${options.seed}` : 'none'}`
				]
			: []),
		'',
		'## How pairs are made',
		'',
		'Responses are ordered by the mean of the submitted reviews’ scores, ties broken by mean rank. ' +
			'Where a lead adjudicated an item, their order replaces this one (and the agreement and margin filters do not apply to it); ' +
			'an item the lead excluded is left out.',
		'',
		'## Fields',
		'',
		FIELDS[options.format],
		'',
		...(options.includeMetadata
			? [
					'`metadata` on every line: `item_id` (as imported), `trait_key`, `trait_version`, `batch`, `review_count`, `agreement` (mean Kendall τ between reviewers’ scores on the item), and `gold: true` on a gold item’s lines.',
					''
				]
			: [])
	];
}

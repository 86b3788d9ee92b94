import { FORMAT_LABELS, STRATEGY_LABELS } from '$lib/export-options';
import { formatCount, formatFixed } from '$lib/format';
import type { AlphaReading } from '../dashboard';
import type { Export } from '../db/schema';
import type { ExportBatch } from './batches';
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
};

const FIELDS: Record<ExportOptions['format'], string> = {
	trl: '`prompt` (text), `chosen`, `rejected` (text), optional `margin` (mean score of chosen minus rejected), `metadata`.',
	'trl-conversational':
		'`prompt` (list of `{role, content}` messages), `chosen` and `rejected` (one assistant message each), optional `margin`, `metadata`.',
	kto: '`prompt` (text), `completion` (text), `label` (true: preferred, false: not), `metadata`. Each pair gives its chosen response as `true` and its rejected one as `false`.',
	openai:
		'`input.messages` (the prompt), `preferred_output` and `non_preferred_output` (one assistant message each), `metadata`.',
	hh: '`chosen` and `rejected`: full transcripts, `\\n\\nHuman: …\\n\\nAssistant: …`, `metadata`.',
	'reviews-jsonl':
		'One line per submitted review: `batch`, `item_id`, `trait_key`, `trait_version` (shown to the reviewer), `reviewer` (pseudonym), `responses` (`position`, `external_id`, `model`, `score`, `rank`, `comment`), `overall_comment`, `flags`, `time_spent_ms`, `submitted_at`, `metadata`.',
	'reviews-csv':
		'One row per review and response, with a header row. Cells that would start with `=`, `+`, `-` or `@` begin with an apostrophe so spreadsheets do not run them.'
};

/** The dataset card: what the file is, where it came from, and how it was made, in markdown. */
export function writeDatasetCard(input: CardInput): string {
	const { record, options, counts } = input;
	const pairFormat = isPairFormat(options.format);
	const lines = [
		`# Trait Review export ${record.id}`,
		'',
		`- **Format:** ${FORMAT_LABELS[options.format]}`,
		`- **File:** \`${record.fileName}\`, ${formatCount(record.rowCount)} ${options.format === 'reviews-csv' ? 'rows' : 'lines'}, ${formatCount(record.bytes)} bytes`,
		`- **SHA-256:** \`${record.sha256}\``,
		`- **Created:** ${record.createdAt.toISOString()} by ${input.createdBy ?? 'the command line'}`,
		'',
		'## Batches',
		'',
		'| batch | status | items | submitted reviews | agreement (α ordinal / interval) |',
		'| --- | --- | --- | --- | --- |',
		...input.batches.map((batch) => {
			const a = input.agreement.find((x) => x.batchId === batch.id);
			return `| ${batch.name} | ${batch.status} | ${formatCount(batch.items)} | ${formatCount(batch.reviews)} | ${a ? `${formatFixed(a.ordinal)} / ${formatFixed(a.interval)}: ${a.reading}` : 'n/a'} |`;
		}),
		...(input.warnings.length ? ['', ...input.warnings.map((w) => `> **Warning:** ${w}`)] : []),
		'',
		'## Counts',
		'',
		`- Items in: ${counts.itemsIn}`,
		...describeDrops(counts.itemsOut).map((d) => `- Items out, ${d.reason}: ${d.count}`),
		`- ${pairFormat ? (options.format === 'kto' ? 'Completions' : 'Pairs') : 'Rows'}: ${counts.rows}`,
		'',
		'## Settings',
		'',
		...(pairFormat
			? [
					`- Pairing: ${STRATEGY_LABELS[options.strategy]}`,
					`- Minimum margin: ${options.minMargin}`,
					...(options.format.startsWith('trl')
						? [`- Margin field: ${options.includeMargin ? 'yes' : 'no'}`]
						: [])
				]
			: []),
		`- Minimum reviews per item: ${options.minReviews}`,
		`- Minimum item agreement (mean Kendall τ between reviewers): ${options.minAgreement ?? 'none'}`,
		`- Flagged items: ${options.excludeFlagged ? 'left out unless adjudicated' : 'kept'}`,
		`- Locked batches only: ${options.lockedOnly ? 'yes' : 'no'}`,
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
		'`metadata` on every line: `item_id` (as imported), `trait_key`, `trait_version`, `batch`, `review_count`, `agreement` (mean Kendall τ between reviewers’ scores on the item).',
		''
	];
	return lines.join('\n');
}

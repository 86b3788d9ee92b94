import { formatCount, formatFixed, formatPercent } from '$lib/format';
import type { BatchReport, Report } from './types';

/**
 * The report as a person reads it in a terminal: one line per figure, its value, its n and its
 * reading, in columns. The JSON (`--json`) is what scripts read; this says the same.
 */

type Row = [figure: string, value: string, n: string, reading: string];

const fixed = (value: number | null) => (value === null ? '—' : formatFixed(value));
const range = (i: { lower: number | null; upper: number | null }) =>
	i.lower === null || i.upper === null ? '' : ` [${fixed(i.lower)}, ${fixed(i.upper)}]`;

/** Reviews a position figure skipped, where there are any: imported, shown in an unknown order. */
const unknownOrder = (n: number) => (n > 0 ? ` (${formatCount(n)} order unknown)` : '');

function batchRows(batch: BatchReport): Row[] {
	const { alpha, concordance: w, judge_tau: tau, reference, position_bias: bias } = batch;
	const alphaN = `${formatCount(alpha.n.units)} responses`;
	const rows: Row[] = [
		[
			'α ordinal',
			fixed(alpha.ordinal.value) + range(alpha.ordinal.interval),
			alphaN,
			alpha.ordinal.reading
		],
		[
			'α interval',
			fixed(alpha.interval.value) + range(alpha.interval.interval),
			alphaN,
			alpha.interval.reading
		]
	];
	for (const t of alpha.by_trait) {
		rows.push([
			`  α ordinal: ${t.key}`,
			fixed(t.ordinal.value),
			`${formatCount(t.n.units)} responses`,
			t.ordinal.reading
		]);
	}
	for (const r of alpha.leave_one_out.reviewers) {
		rows.push([
			`  α without ${r.reviewer}`,
			fixed(r.value),
			`${formatCount(r.n.shared)} shared`,
			r.reading
		]);
	}
	rows.push(
		["Kendall's W", fixed(w.value), `${formatCount(w.n.items)} items`, w.reading],
		[
			'judge τ-b',
			fixed(tau.value) + range(tau.interval),
			`${formatCount(tau.n.items)} items`,
			tau.reading
		],
		[
			'GOOD above BAD',
			formatPercent(reference.value),
			`${formatCount(reference.n.pairs)} pairs`,
			reference.reading
		],
		[
			'first shown wins',
			formatPercent(bias.reviewers.value),
			`${formatCount(bias.reviewers.n.trials)} reviews` +
				unknownOrder(bias.reviewers.unknown_order),
			bias.reviewers.reading
		]
	);
	if (bias.judge) {
		rows.push([
			'  judge',
			formatPercent(bias.judge.value),
			`${formatCount(bias.judge.n.trials)} items`,
			bias.judge.reading
		]);
	}
	for (const r of batch.gold.by_reviewer) {
		rows.push([
			`gold accuracy: ${r.reviewer}`,
			formatPercent(r.value) + range(r.interval),
			`${formatCount(r.n.items)} gold items`,
			r.reading
		]);
	}
	return rows;
}

function modelRows(models: Report['models']): Row[] {
	return models.traits.flatMap((trait) =>
		trait.models.map((m): Row => [
			`${trait.key}: ${m.model}`,
			fixed(m.strength) + range(m.interval),
			`${formatCount(m.games)} games`,
			m.status === 'too-few' ? m.reading : `won ${formatPercent(m.win_rate)}`
		])
	);
}

function table(rows: Row[]): string {
	const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c].length)));
	return rows
		.map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  '))
		.join('\n');
}

export function formatReport(report: Report): string {
	const parts = report.batches.map(
		(batch) => `Batch "${batch.name}" (id ${batch.id}, ${batch.status})\n${table(batchRows(batch))}`
	);
	const models = modelRows(report.models);
	parts.push(
		models.length
			? `Trait by model (Bradley-Terry strength, 95% interval)\n${table(models)}`
			: 'Trait by model: no responses from two models were compared.'
	);
	return parts.join('\n\n');
}

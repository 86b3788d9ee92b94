import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../exports/formats';
import type { CompareResult } from './index';

/**
 * The page's figures as a file: JSON as the page has them, or CSV with one row per figure: a
 * model's strength on a trait, or a trait's difference B − A between the two checkpoints.
 */

const CSV_COLUMNS = [
	'figure',
	'trait',
	'model',
	'versus',
	'estimate',
	'lower',
	'upper',
	'items',
	'games',
	'wins',
	'win_rate',
	'reading'
] as const;

// The reviews CSV's guard: model and trait names come from imported files, and a spreadsheet
// would run one that starts with = + - @ as a formula.
const csvOptions = {
	cast: { string: neutraliseFormula, number: (n: number) => String(n) },
	eof: true,
	record_delimiter: '\n',
	// Quoted, as in the reviews CSV: a bare \r reads as a line break in spreadsheets.
	quoted_match: /[\r\n]/
} as const;

type Cell = string | number;

function csvRows(result: CompareResult): Cell[][] {
	const rows: Cell[][] = [];
	for (const trait of result.traits) {
		for (const m of trait.models) {
			rows.push([
				'strength',
				trait.key,
				m.model,
				'',
				m.strength,
				m.lower ?? '',
				m.upper ?? '',
				m.items,
				m.games,
				m.wins,
				m.winRate,
				m.enough ? '' : 'too few to judge'
			]);
		}
	}
	// A difference row counts the items and games of the less compared checkpoint: the one that
	// decides whether the difference can be judged.
	for (const d of result.differences ?? []) {
		const fewer = d.a.items <= d.b.items ? d.a : d.b;
		rows.push([
			'difference',
			d.key,
			d.b.model,
			d.a.model,
			d.difference ?? '',
			d.lower ?? '',
			d.upper ?? '',
			fewer.items,
			fewer.games,
			'',
			'',
			d.reading
		]);
	}
	return rows;
}

export function compareCsv(result: CompareResult): string {
	return stringify([[...CSV_COLUMNS], ...csvRows(result)], csvOptions);
}

/** A download of the comparison, named so that it is kept as a file, not shown. */
export function compareDownload(result: CompareResult, format: 'csv' | 'json'): Response {
	const body = format === 'csv' ? compareCsv(result) : JSON.stringify(result, null, 2) + '\n';
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
			'content-disposition': `attachment; filename="checkpoint-comparison.${format}"`,
			'cache-control': 'no-store'
		}
	});
}

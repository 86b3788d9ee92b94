import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import { alphaFromPairCells, type AgreementReport, type PairCell } from '../../stats';
import { agreementFigures, METRICS, type BatchAgreement } from '../agreement';
import { unpackCells } from './cells';
import type { BatchTallies } from './read';

/**
 * Krippendorff's alpha for the batch, per trait and without each reviewer, from the pair
 * counts the writes keep: a few hundred rows however many reviews the batch holds. Alpha
 * computed from the same counts gives the same bits as the full recount (batchAgreement).
 */
export function tallyAgreement(
	client: Database.Database,
	batchId: number,
	tallies: BatchTallies
): BatchAgreement {
	const rows = statement(
		client,
		`SELECT scope, subject, cells FROM agreement_tallies WHERE batch_id = ? ORDER BY scope, subject`
	).all(batchId) as { scope: string; subject: number; cells: Buffer }[];
	const byScope = new Map(rows.map((r) => [`${r.scope}:${r.subject}`, unpackCells(r.cells)]));
	const batch = byScope.get('batch:0') ?? [];
	const withoutCoder = new Map<number, number | null>();
	for (const [key, cells] of byScope) {
		if (!key.startsWith('without:')) continue;
		// Leave-one-out is read under the first metric only, as the full recount does.
		const without = alphaFromPairCells([...batch, ...cells], METRICS[0]);
		withoutCoder.set(Number(key.slice('without:'.length)), without);
	}
	const report = (cells: PairCell[]): AgreementReport => {
		const values = alpha(cells);
		return { alpha: new Map(METRICS.map((m, i) => [m, values[i]])), withoutCoder };
	};
	const overall = report(batch);
	const perTrait = tallies.facts.length > 1;
	return agreementFigures(overall, tallies.ratings, tallies.ratedTraits, tallies.keys, (id) =>
		// One trait: its figures are the batch's.
		perTrait ? report(byScope.get(`trait:${id}`) ?? []) : overall
	);
}

function alpha(cells: PairCell[]): (number | null)[] {
	return METRICS.map((metric) => alphaFromPairCells(cells, metric));
}

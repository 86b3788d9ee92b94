import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import type { ResponseRecord } from '../../item-records';
import { unitPairCells, type PairCell } from '../../stats';
import { addReference, emptyTally, referenceCount, type ReferenceTally } from '../item-measures';
import { itemGames } from '../model-comparison';
import { positionsById, type ItemState } from './state';

type Scope = 'batch' | 'trait' | 'without';

const severalTraits = new WeakMap<Database.Database, Map<number, boolean>>();

/**
 * Alpha per trait is shown only for a batch of several traits; with one, its figures are the
 * batch's. A batch's traits never change once it is imported, so a batch of one trait need
 * not count them twice. While an import still adds items, the answer is not final: yes.
 */
export function hasSeveralTraits(client: Database.Database, batchId: number): boolean {
	let known = severalTraits.get(client);
	if (!known) severalTraits.set(client, (known = new Map()));
	const found = known.get(batchId);
	if (found !== undefined) return found;
	const row = statement(
		client,
		`SELECT status = 'importing' AS importing,
		        (SELECT trait_id FROM items WHERE batch_id = b.id ORDER BY trait_id LIMIT 1) IS NOT
		        (SELECT trait_id FROM items WHERE batch_id = b.id ORDER BY trait_id DESC LIMIT 1) AS several
		   FROM batches b WHERE b.id = ?`
	).get(batchId) as { importing: number; several: number } | undefined;
	if (!row || row.importing) return true;
	known.set(batchId, row.several === 1);
	return row.several === 1;
}

/**
 * Changes to a batch's tallies, summed in memory and then written once: an item taken out
 * (its old state) and put back (its new one) mostly cancels, and a step of the build adds
 * hundreds of items, so each changed cell costs one upsert however many items touched it.
 */
export class TallyDelta {
	private readonly cells = new Map<string, number>();
	private readonly reference = new Map<number, ReferenceTally>();
	private readonly games = new Map<string, number>();

	/** `perTrait`: whether to count alpha per trait too (see hasSeveralTraits). */
	constructor(
		private readonly batchId: number,
		private readonly perTrait: boolean
	) {}

	/** Adds (sign 1) or takes out (sign -1) what one item brings. */
	addItem(
		traitId: number,
		responses: readonly ResponseRecord[],
		state: Pick<ItemState, 'units' | 'positions'>,
		sign: 1 | -1
	): void {
		for (const unit of state.units) this.addUnit(traitId, unit, sign);
		if (!state.positions) return;
		const position = positionsById(responses, state.positions);
		const count = referenceCount(responses, position);
		if (count) {
			let tally = this.reference.get(traitId);
			if (!tally) this.reference.set(traitId, (tally = emptyTally()));
			addReference(tally, count, sign);
		}
		for (const [winner, loser] of itemGames(responses, position)) {
			const key = JSON.stringify([traitId, winner, loser]);
			this.games.set(key, (this.games.get(key) ?? 0) + sign);
		}
	}

	/**
	 * One response's scores, [reviewer, score, …]: its pairs for the batch and its trait, and
	 * for each of its reviewers how leaving them out changes the batch's pairs (the unit less
	 * its pairs, plus the unit without them), as createAgreementAccumulator counts it.
	 */
	private addUnit(traitId: number, unit: readonly number[], sign: 1 | -1): void {
		const values = unit.filter((_, i) => i % 2 === 1);
		if (values.length < 2) return;
		const cells = unitPairCells(values);
		this.addCells('batch', 0, cells, sign);
		if (this.perTrait) this.addCells('trait', traitId, cells, sign);
		values.forEach((_, i) => {
			const reviewer = unit[2 * i];
			const others = values.filter((__, j) => j !== i);
			this.addCells('without', reviewer, cells, -sign);
			this.addCells('without', reviewer, unitPairCells(others), sign);
		});
	}

	private addCells(scope: Scope, subject: number, cells: PairCell[], sign: number): void {
		for (const { size, a, b, pairs } of cells) {
			const key = `${scope}|${subject}|${size}|${a}|${b}`;
			this.cells.set(key, (this.cells.get(key) ?? 0) + sign * pairs);
		}
	}

	/** Writes every change that did not cancel out. */
	flush(client: Database.Database): void {
		const cell = statement(
			client,
			`INSERT INTO agreement_tallies (batch_id, scope, subject, size, a, b, pairs) VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT DO UPDATE SET pairs = pairs + excluded.pairs`
		);
		for (const [key, pairs] of this.cells) {
			if (pairs === 0) continue;
			const [scope, subject, size, a, b] = key.split('|');
			cell.run(this.batchId, scope, +subject, +size, +a, +b, pairs);
		}
		const reference = statement(
			client,
			`INSERT INTO reference_tallies (batch_id, trait_id, items, pairs, above, tied, below) VALUES (?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT DO UPDATE SET items = items + excluded.items, pairs = pairs + excluded.pairs,
			        above = above + excluded.above, tied = tied + excluded.tied, below = below + excluded.below`
		);
		for (const [traitId, t] of this.reference) {
			if (t.items === 0 && t.pairs === 0 && t.above === 0 && t.tied === 0 && t.below === 0)
				continue;
			reference.run(this.batchId, traitId, t.items, t.pairs, t.above, t.tied, t.below);
		}
		const game = statement(
			client,
			`INSERT INTO model_game_tallies (batch_id, trait_id, winner, loser, games) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT DO UPDATE SET games = games + excluded.games`
		);
		for (const [key, games] of this.games) {
			if (games === 0) continue;
			const [traitId, winner, loser] = JSON.parse(key) as [number, string, string];
			game.run(this.batchId, traitId, winner, loser, games);
		}
	}
}

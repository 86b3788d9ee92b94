import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import type { ResponseRecord } from '../../item-records';
import { addReference, emptyTally, referenceCount, type ReferenceTally } from '../item-measures';
import { itemGames } from '../model-comparison';
import { ITEMS_ROW } from './models';
import { CellChanges, updateCells } from './cells';
import { positionsById, unitScores, type ItemState } from './state';

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
	/** Per scope: "batch:0", "trait:7", "without:12" (a reviewer). */
	private readonly cells = new Map<string, CellChanges>();
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
		const games = itemGames(responses, position);
		for (const [winner, loser] of games) {
			const key = JSON.stringify([traitId, winner, loser]);
			this.games.set(key, (this.games.get(key) ?? 0) + sign);
		}
		if (games.length > 0) {
			// Items that gave a game are kept under the pair of no models (see ITEMS_ROW).
			const key = JSON.stringify([traitId, ITEMS_ROW, ITEMS_ROW]);
			this.games.set(key, (this.games.get(key) ?? 0) + sign);
		}
	}

	/**
	 * One response's scores, [reviewer, score, …]: its pairs for the batch and its trait, and
	 * for each of its reviewers how leaving them out changes the batch's pairs (the unit less
	 * its pairs, plus the unit without them), as createAgreementAccumulator counts it.
	 */
	private addUnit(traitId: number, unit: readonly number[], sign: 1 | -1): void {
		const values = unitScores(unit);
		if (values.length < 2) return;
		this.changes('batch', 0).addUnit(values, sign);
		if (this.perTrait) this.changes('trait', traitId).addUnit(values, sign);
		values.forEach((_, i) => {
			const without = this.changes('without', unit[2 * i]);
			without.addUnit(values, -sign);
			without.addUnit(values, sign, i);
		});
	}

	private changes(scope: Scope, subject: number): CellChanges {
		const key = `${scope}:${subject}`;
		let changes = this.cells.get(key);
		if (!changes) this.cells.set(key, (changes = new CellChanges()));
		return changes;
	}

	/** Writes every change that did not cancel out. */
	flush(client: Database.Database): void {
		for (const [key, changes] of this.cells) {
			const [scope, subject] = key.split(':');
			updateCells(client, this.batchId, scope, Number(subject), changes);
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

import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import type { ItemRecord, ResponseRecord } from '../../item-records';
import { measureItem } from '../item-measures';

/**
 * What one item adds to its batch's tallies, as item_tallies keeps it: enough to take the
 * item's share out again when a review or a decision changes it. The figures that depend on
 * the consensus (reference pairs, games between models) are derived again from the positions
 * and the item's responses, which never change once imported.
 */
export type ItemState = {
	/** The item's submitted_count, for progress. */
	submitted: number;
	/** Scores in its submitted reviews. */
	ratings: number;
	/** Kendall's W of the reviewers' rankings. */
	concordance: number | null;
	/** Kendall's tau-b between the AI order and the consensus. */
	aiTau: number | null;
	/** Per response, in the item's order: [reviewer, score, reviewer, score, …]. */
	units: number[][];
	/** Per response, in the item's order: its consensus position; null without a consensus. */
	positions: number[] | null;
};

/** A unit's scores, [reviewer, score, reviewer, score, …] read for every other number. */
export function unitScores(unit: readonly number[]): number[] {
	return unit.filter((_, i) => i % 2 === 1);
}

/** An item with nothing submitted and no decision adds nothing: it needs no item_tallies row. */
export function isCounted(item: ItemRecord, submitted: number): boolean {
	return item.reviews.length > 0 || item.adjudication !== null || submitted > 0;
}

export function itemState(item: ItemRecord, submitted: number): ItemState {
	const measure = measureItem(item);
	const units = item.responses.map((response) => {
		const unit: number[] = [];
		for (const review of item.reviews) {
			const score = review.scores[response.id];
			if (score !== undefined) unit.push(review.userId, score);
		}
		return unit;
	});
	const position = measure.position;
	return {
		submitted,
		ratings: units.reduce((sum, unit) => sum + unit.length / 2, 0),
		concordance: measure.concordance,
		aiTau: measure.tau,
		units,
		positions: position && item.responses.map((r) => position.get(r.id)!)
	};
}

/** The consensus positions by response id, as the measures take them. */
export function positionsById(
	responses: readonly ResponseRecord[],
	positions: number[]
): Map<number, number> {
	return new Map(responses.map((r, i) => [r.id, positions[i]]));
}

type Row = {
	trait_id: number;
	submitted: number;
	ratings: number;
	concordance: number | null;
	ai_tau: number | null;
	state: string;
};

export type StoredState = ItemState & { traitId: number };

export function readItemState(client: Database.Database, itemId: number): StoredState | null {
	const row = statement(
		client,
		`SELECT trait_id, submitted, ratings, concordance, ai_tau, state FROM item_tallies WHERE item_id = ?`
	).get(itemId) as Row | undefined;
	if (!row) return null;
	const { u, p } = JSON.parse(row.state) as { u: number[][]; p: number[] | null };
	return {
		traitId: row.trait_id,
		submitted: row.submitted,
		ratings: row.ratings,
		concordance: row.concordance,
		aiTau: row.ai_tau,
		units: u,
		positions: p
	};
}

export function writeItemState(
	client: Database.Database,
	batchId: number,
	itemId: number,
	traitId: number,
	state: ItemState
): void {
	statement(
		client,
		`INSERT INTO item_tallies (item_id, batch_id, trait_id, submitted, ratings, concordance, ai_tau, state)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (item_id) DO UPDATE SET submitted = excluded.submitted, ratings = excluded.ratings,
		        concordance = excluded.concordance, ai_tau = excluded.ai_tau, state = excluded.state`
	).run(
		itemId,
		batchId,
		traitId,
		state.submitted,
		state.ratings,
		state.concordance,
		state.aiTau,
		JSON.stringify({ u: state.units, p: state.positions })
	);
}

export function sameState(a: ItemState, b: ItemState): boolean {
	return (
		a.submitted === b.submitted &&
		a.ratings === b.ratings &&
		a.concordance === b.concordance &&
		a.aiTau === b.aiTau &&
		JSON.stringify([a.units, a.positions]) === JSON.stringify([b.units, b.positions])
	);
}

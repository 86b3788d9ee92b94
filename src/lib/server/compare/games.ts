import type { AppDB } from '../db';
import {
	consensusAdjudication,
	consensusInput,
	nextTurn,
	readItemChunks,
	type ItemRecord
} from '../item-records';
import { computeConsensus, type Comparison } from '../stats';

/**
 * Games between models, kept item by item so that the bootstrap can resample items. Within an
 * item, every pair of responses from two different models is one game, won by the response the
 * human consensus puts higher; a tie is no game. This is how the batch dashboard's trait by model
 * counts games, so the two pages agree on a single batch.
 */

/** The games of one item between the models `keep` accepts. */
export function gamesOfItem(
	responses: readonly { id: number; model: string | null }[],
	position: ReadonlyMap<number, number>,
	keep: (model: string) => boolean
): Comparison[] {
	const games: Comparison[] = [];
	responses.forEach((a, i) => {
		for (const b of responses.slice(i + 1)) {
			if (!a.model || !b.model || a.model === b.model || !keep(a.model) || !keep(b.model)) continue;
			const pa = position.get(a.id);
			const pb = position.get(b.id);
			if (pa === undefined || pb === undefined || pa === pb) continue;
			games.push(
				pa < pb ? { winner: a.model, loser: b.model } : { winner: b.model, loser: a.model }
			);
		}
	});
	return games;
}

/**
 * Each trait's items with their games, read from the batches a chunk at a time, letting the
 * server answer others between chunks. Traits are matched by key, so a trait carried into a new
 * constitution still compares across batches. Items without games are left out: an item that
 * compares nothing adds nothing to a resample.
 */
export async function readTraitGames(
	db: AppDB,
	batchIds: readonly number[],
	models: readonly string[]
): Promise<Map<string, Comparison[][]>> {
	const wanted = new Set(models);
	const keep = (model: string) => wanted.size === 0 || wanted.has(model);
	const byTrait = new Map<string, Comparison[][]>();
	for (const batchId of batchIds) {
		for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
			for (const item of chunk) {
				const position = consensusPositions(item);
				if (!position) continue;
				const games = gamesOfItem(item.responses, position, keep);
				if (games.length === 0) continue;
				let traitItems = byTrait.get(item.traitKey);
				if (!traitItems) byTrait.set(item.traitKey, (traitItems = []));
				traitItems.push(games);
			}
			await nextTurn();
		}
	}
	return byTrait;
}

/**
 * Consensus position per response id; null when the item is excluded or nobody has judged it.
 * An adjudicated order replaces the reviewers' consensus, as everywhere else.
 */
function consensusPositions(item: ItemRecord): Map<number, number> | null {
	const adjudication = consensusAdjudication(item);
	if (item.reviews.length === 0 && !(adjudication && 'order' in adjudication)) return null;
	const consensus = computeConsensus(consensusInput(item), adjudication);
	if (!consensus) return null;
	return new Map(consensus.map((entry) => [Number(entry.responseId), entry.position]));
}

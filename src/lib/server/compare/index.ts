/**
 * Checkpoint comparison: per trait, how each model or checkpoint fares across chosen batches
 * (Bradley-Terry strengths with intervals that resample items), and for two chosen checkpoints
 * the difference B − A with a plain reading. Routes come in through here.
 */
import type { AppDB } from '../db';
import { nextTurn } from '../item-records';
import { DEFAULT_BRADLEY_TERRY_PRIOR } from '../stats';
import { findBatches, type ComparedBatch } from './batches';
import {
	compareTrait,
	sortByMove,
	type FigureSettings,
	type TraitDifference,
	type TraitFigures
} from './figures';
import { readTraitGames } from './games';
import type { CompareQuery } from './query';
import { MIN_CHECKPOINT_GAMES, MIN_CHECKPOINT_ITEMS } from './reading';

export { listBatchModels, type ComparedBatch } from './batches';
export { compareDownload } from './download';
export type { ModelFigures, TraitDifference, TraitFigures } from './figures';
export { gamesOfItem } from './games';
export { compareSearch, parseCompareQuery, type CompareQuery } from './query';
export {
	MIN_CHECKPOINT_GAMES,
	MIN_CHECKPOINT_ITEMS,
	readDifference,
	type CheckpointShare,
	type DifferenceStatus
} from './reading';

/** 1000 resamples keep the 2.5% and 97.5% points steady to about 0.01 for a few models. */
export const COMPARE_SETTINGS: FigureSettings = { samples: 1000, seed: 1, level: 0.95 };

export type CompareResult = {
	batches: ComparedBatch[];
	/** Batch ids asked for that match no batch. */
	missingBatchIds: number[];
	/** B − A is read only for two different checkpoints. */
	checkpoints: { a: string; b: string } | null;
	settings: FigureSettings & { prior: number; minItems: number; minGames: number };
	/** By trait key. */
	traits: TraitFigures[];
	/** One per trait, the largest move first; null without two checkpoints. */
	differences: TraitDifference[] | null;
};

export async function compareCheckpoints(db: AppDB, query: CompareQuery): Promise<CompareResult> {
	const { found, missing } = findBatches(db, query.batchIds);
	const checkpoints = query.a && query.b && query.a !== query.b ? { a: query.a, b: query.b } : null;
	// Chosen checkpoints are always compared, even when left out of the chosen models.
	const models = query.models.length
		? [...new Set([...query.models, ...(checkpoints ? [checkpoints.a, checkpoints.b] : [])])]
		: [];
	const byTrait = await readTraitGames(
		db,
		found.map((batch) => batch.id),
		models
	);

	const traits: TraitFigures[] = [];
	const differences: TraitDifference[] = [];
	for (const key of [...byTrait.keys()].sort()) {
		const { figures, difference } = compareTrait(
			key,
			byTrait.get(key)!,
			checkpoints,
			COMPARE_SETTINGS
		);
		traits.push(figures);
		if (difference) differences.push(difference);
		await nextTurn();
	}
	return {
		batches: found,
		missingBatchIds: missing,
		checkpoints,
		settings: {
			...COMPARE_SETTINGS,
			prior: DEFAULT_BRADLEY_TERRY_PRIOR,
			minItems: MIN_CHECKPOINT_ITEMS,
			minGames: MIN_CHECKPOINT_GAMES
		},
		traits,
		differences: checkpoints ? sortByMove(differences) : null
	};
}

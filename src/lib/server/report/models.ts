import { formatCount, formatFixed, formatPercent } from '$lib/format';
import { compareCheckpoints, type CompareResult } from '../compare';
import type { AppDB } from '../db';
import { intervalOf, readingOf } from './reading';
import type { ReportModels } from './types';

/**
 * Trait by model over the chosen batches: what the Compare page shows for them, with no models
 * picked (all of them) and no checkpoints: strengths with intervals that resample items, wins,
 * games and win rates, each model's figures "too few to judge" below the minimums.
 */
export async function reportModels(db: AppDB, batchIds: number[]): Promise<ReportModels> {
	const result = await compareCheckpoints(db, { batchIds, models: [], a: null, b: null });
	return modelsOf(result);
}

export function modelsOf(result: CompareResult): ReportModels {
	const { settings } = result;
	return {
		batch_ids: result.batches.map((batch) => batch.id),
		minimum: { items: settings.minItems, games: settings.minGames },
		settings: { samples: settings.samples, seed: settings.seed, prior: settings.prior },
		traits: result.traits.map((trait) => ({
			key: trait.key,
			items: trait.items,
			games: trait.games,
			models: trait.models.map((m) => ({
				model: m.model,
				strength: m.strength,
				interval: intervalOf(m),
				wins: m.wins,
				games: m.games,
				win_rate: m.winRate,
				n: { items: m.items, games: m.games },
				// The page gives the figures alone, or says "too few to judge".
				...readingOf(
					m.enough ? 'judged' : 'too-few',
					`${m.model}: strength ${formatFixed(m.strength, 2)} [${formatFixed(m.lower, 2)}, ${formatFixed(m.upper, 2)}], won ${formatPercent(m.winRate)} of ${formatCount(m.games)} games.`
				)
			}))
		}))
	};
}

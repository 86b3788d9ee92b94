import type { ModelStanding } from '../dashboard';
import { bootstrapBradleyTerryByItem, winRates, type Comparison } from '../stats';
import { isEnough, readDifference, type CheckpointShare, type DifferenceStatus } from './reading';

/**
 * One model on one trait: the batch dashboard's standing (strength, 95% interval, wins, games,
 * win rate), its interval here from resampling items, and how much it was compared.
 */
export type ModelFigures = ModelStanding & {
	/** Items in which the model played at least one game. */
	items: number;
	/** False below the minimum items and games: the page says "too few to judge". */
	enough: boolean;
};

export type TraitFigures = {
	key: string;
	/** Items with at least one game between the compared models. */
	items: number;
	games: number;
	/** Strongest first. */
	models: ModelFigures[];
};

/** B − A on one trait, with its item-resampled interval and its plain reading. */
export type TraitDifference = {
	key: string;
	difference: number | null;
	lower: number | null;
	upper: number | null;
	a: CheckpointShare;
	b: CheckpointShare;
	status: DifferenceStatus;
	reading: string;
};

export type FigureSettings = { samples: number; seed: number; level: number };

/** A trait's figures and, when two checkpoints are chosen, B − A. */
export function compareTrait(
	key: string,
	items: readonly Comparison[][],
	checkpoints: { a: string; b: string } | null,
	settings: FigureSettings
): { figures: TraitFigures; difference: TraitDifference | null } {
	const games = items.flat();
	const records = winRates(games);
	const itemCounts = countItems(items);
	const { strengths, differences } = bootstrapBradleyTerryByItem(items, {
		...settings,
		differences: checkpoints ? [[checkpoints.a, checkpoints.b]] : []
	});
	const models = [...strengths.entries()]
		.map(([model, interval]): ModelFigures => {
			const record = records.get(model)!;
			const share = { items: itemCounts.get(model) ?? 0, games: record.games };
			return {
				model,
				strength: interval.strength,
				lower: interval.lower,
				upper: interval.upper,
				wins: record.wins,
				games: record.games,
				winRate: record.rate,
				items: share.items,
				enough: isEnough(share)
			};
		})
		.sort((x, y) => y.strength - x.strength || (x.model < y.model ? -1 : 1));
	const figures = { key, items: items.length, games: games.length, models };
	if (!checkpoints) return { figures, difference: null };

	const shareOf = (model: string): CheckpointShare => ({
		model,
		items: itemCounts.get(model) ?? 0,
		games: records.get(model)?.games ?? 0
	});
	const a = shareOf(checkpoints.a);
	const b = shareOf(checkpoints.b);
	const [estimate] = differences;
	const reading = readDifference(key, a, b, estimate, linked(games, a.model, b.model));
	return {
		figures,
		difference: {
			key,
			difference: estimate.difference,
			lower: estimate.lower,
			upper: estimate.upper,
			a,
			b,
			status: reading.status,
			reading: reading.text
		}
	};
}

/** Judged traits first, the largest move first; then the rest by key. */
export function sortByMove(differences: TraitDifference[]): TraitDifference[] {
	const judged = (d: TraitDifference) => d.status !== 'too-few' && d.status !== 'unlinked';
	return [...differences].sort((x, y) => {
		if (judged(x) !== judged(y)) return judged(x) ? -1 : 1;
		const move = judged(x) ? Math.abs(y.difference!) - Math.abs(x.difference!) : 0;
		return move || (x.key < y.key ? -1 : 1);
	});
}

function countItems(items: readonly Comparison[][]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const games of items) {
		const models = new Set(games.flatMap((game) => [game.winner, game.loser]));
		for (const model of models) counts.set(model, (counts.get(model) ?? 0) + 1);
	}
	return counts;
}

/** Whether some chain of games joins the two models (a walk over who played whom). */
function linked(games: readonly Comparison[], from: string, to: string): boolean {
	const opponents = new Map<string, Set<string>>();
	const link = (x: string, y: string) => {
		let set = opponents.get(x);
		if (!set) opponents.set(x, (set = new Set()));
		set.add(y);
	};
	for (const { winner, loser } of games) {
		link(winner, loser);
		link(loser, winner);
	}
	const seen = new Set([from]);
	const queue = [from];
	while (queue.length > 0) {
		const model = queue.pop()!;
		if (model === to) return true;
		for (const next of opponents.get(model) ?? []) {
			if (!seen.has(next)) {
				seen.add(next);
				queue.push(next);
			}
		}
	}
	return false;
}

import { GOLD_READING_WORDS } from '$lib/gold';
import type { BatchGoldSummary } from '../dashboard';
import { GOLD_ACCURACY_WARNING, MIN_GOLD_ITEMS } from '../stats';
import { intervalOf, readingOf } from './reading';
import type { ReportGold } from './types';

/** The dashboard's gold section, as the report gives it: each reviewer's accuracy on gold items. */
export function reportGold(gold: BatchGoldSummary): ReportGold {
	return {
		rate: gold.rate,
		gold_items: gold.goldItems,
		minimum: { items: MIN_GOLD_ITEMS },
		warning_below: GOLD_ACCURACY_WARNING,
		by_reviewer: gold.reviewers.map((r) => ({
			reviewer: r.reviewer,
			value: r.accuracy,
			interval: intervalOf(r),
			agreed: r.agreed,
			n: { items: r.items, pairs: r.pairs },
			...readingOf(r.reading, GOLD_READING_WORDS[r.reading])
		}))
	};
}

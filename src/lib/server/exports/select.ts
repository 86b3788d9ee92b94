import { consensusAdjudication, consensusInput, isFlagged, type ItemRecord } from '../item-records';
import {
	buildPairs,
	computeConsensus,
	itemAgreement,
	type ConsensusEntry,
	type PreferencePair
} from '../stats';
import { isPairFormat, type ExportOptions } from './options';

export const DROP_REASONS = {
	excluded: 'excluded by adjudication',
	gold: 'gold item (pairs leave gold items out unless asked)',
	flagged: 'flagged by a reviewer',
	fewReviews: 'fewer reviews than the minimum',
	lowAgreement: 'reviewer agreement below the minimum',
	noPairs: 'nothing to pair (one response, or all tied)',
	belowMargin: 'no pair at or above the minimum margin',
	conflicts: 'every pair ordered the other way on another trait',
	contentChecks: 'every pair dropped by a content check'
} as const;
export type DropReason = keyof typeof DROP_REASONS;

/** Items left out, by reason, in the order a lead reads the reasons. */
export function describeDrops(
	itemsOut: Partial<Record<DropReason, number>>
): { reason: string; count: number }[] {
	return (Object.keys(DROP_REASONS) as DropReason[])
		.filter((reason) => itemsOut[reason])
		.map((reason) => ({ reason: DROP_REASONS[reason], count: itemsOut[reason] ?? 0 }));
}

export type Selected = {
	kept: true;
	item: ItemRecord;
	consensus: ConsensusEntry[];
	pairs: PreferencePair[];
	/** Mean pairwise Kendall tau between reviewers; null with fewer than two usable reviews. */
	agreement: number | null;
	/** A gold item: its lines say so in their metadata. */
	gold?: boolean;
};
export type Dropped = { kept: false; item: ItemRecord; reason: DropReason };

/**
 * Decides whether an item goes into an export, and with which pairs. The order of the checks
 * is the order of the reasons a lead reads: an adjudicated exclusion wins over everything.
 */
export function selectItem(
	item: ItemRecord,
	options: ExportOptions,
	gold = false
): Selected | Dropped {
	const adjudication = consensusAdjudication(item);
	if (adjudication && 'excluded' in adjudication) return drop(item, 'excluded');
	if (gold && !options.includeGold && isPairFormat(options.format)) return drop(item, 'gold');
	// A lead who ranked a flagged item has looked at it and decided: the ranking stands.
	if (options.excludeFlagged && !adjudication && isFlagged(item)) return drop(item, 'flagged');
	if (item.reviews.length < options.minReviews) return drop(item, 'fewReviews');
	const input = consensusInput(item);
	const agreement = itemAgreement(input);
	if (
		options.minAgreement !== null &&
		!adjudication &&
		(agreement === null || agreement < options.minAgreement)
	) {
		return drop(item, 'lowAgreement');
	}
	const consensus = computeConsensus(input, adjudication) ?? [];
	let pairs: PreferencePair[] = [];
	if (isPairFormat(options.format)) {
		const candidates = buildPairs(consensus, options.strategy);
		if (candidates.length === 0) return drop(item, 'noPairs');
		// An adjudicated order is the lead's decision: the score margin no longer measures it.
		pairs = candidates.filter(
			(pair) =>
				options.minMargin === 0 || adjudication !== null || (pair.margin ?? 0) >= options.minMargin
		);
		if (pairs.length === 0) return drop(item, 'belowMargin');
	}
	return { kept: true, item, consensus, pairs, agreement, ...(gold && { gold }) };
}

function drop(item: ItemRecord, reason: DropReason): Dropped {
	return { kept: false, item, reason };
}

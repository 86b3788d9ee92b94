import type { AppDB } from '../db';
import { batchReviewerLabels } from '../pseudonyms';
import { LEAVE_ONE_OUT_WORDS, readLeaveOneOut } from '../stats';
import { batchAlphaIntervals } from './alpha-intervals';
import type { BatchDashboard } from './index';

/**
 * Leave-one-out alpha per reviewer, each beside how much they share with the others and how
 * much the others share without them, with its reading. It waits for the pass that counts the
 * overlaps (the alpha intervals' pass), so the page streams it in.
 */
export async function leaveOneOutReadings(
	db: AppDB,
	batchId: number,
	agreement: BatchDashboard['agreement'],
	options: { showNames: boolean }
) {
	// Labelled now, not when the pass ends: the same pseudonyms as the rest of the page.
	const label = batchReviewerLabels(db, batchId, options.showNames);
	const { overlap } = await batchAlphaIntervals(db, batchId);
	const byReviewer = new Map(overlap.map((r) => [label(r.userId), r]));
	const overall = agreement.overall.ordinal;
	return agreement.withoutReviewer.map((r) => {
		const found = byReviewer.get(r.reviewer);
		const shared = found?.shared ?? 0;
		const othersUnits = found?.others.units ?? 0;
		const reading = readLeaveOneOut(overall, r.alpha, { shared, othersUnits });
		return {
			reviewer: r.reviewer,
			alpha: r.alpha,
			// Only where it can be read: a rise over two reviewers' six shared items misleads.
			change:
				reading.status !== 'too-few' && r.alpha !== null && overall !== null
					? r.alpha - overall
					: null,
			shared,
			othersUnits,
			status: { ...reading, word: LEAVE_ONE_OUT_WORDS[reading.status] }
		};
	});
}

export type LeaveOneOutRow = Awaited<ReturnType<typeof leaveOneOutReadings>>[number];

import { aiOrder, consensusOf, orderText as dashboardOrderText } from '../dashboard/item-measures';
import type { ItemRecord, ReviewRecord } from '../item-records';
import { kendallTauB } from '../stats';

/**
 * The orders the judging page compares, each as merit per response id (higher is better), so
 * that a rank, a score and a consensus position compare alike: the AI judge's, the human
 * consensus, each reviewer's, and the order the judge was shown the responses in.
 */
export type Merit = Map<string, number>;

/** The AI judge's order: its ranks where at least two responses have one, else its scores. */
export function judgeMerit(item: ItemRecord): Merit | null {
	const ai = aiOrder(item);
	return ai && new Map(ai.responses.map((r, i) => [String(r.id), ai.values[i]]));
}

/**
 * The human order: the consensus of the submitted reviews (mean score, then mean rank), or the
 * lead's adjudicated order, which replaces it. Null when the item is excluded or nobody has
 * judged it yet.
 */
export function humanMerit(item: ItemRecord): Merit | null {
	const consensus = consensusOf(item);
	return consensus && new Map(consensus.map((e) => [e.responseId, -e.position]));
}

/** One reviewer's order: their ranking (1 = best, ties allowed). */
export function reviewerMerit(review: ReviewRecord): Merit {
	return new Map(Object.entries(review.ranks).map(([id, rank]) => [id, -rank]));
}

/** Kendall's tau-b over the responses both orders cover; null where it is undefined. */
export function meritTau(a: Merit, b: Merit): number | null {
	const ids = [...a.keys()].filter((id) => b.has(id));
	return kendallTauB(
		ids.map((id) => a.get(id)!),
		ids.map((id) => b.get(id)!)
	);
}

/** The metadata key that carries the order the judge saw the responses in. */
export const JUDGE_SHOWN_ORDER_KEY = 'judge_shown_order';

export type JudgeShownOrder =
	| { kind: 'absent' }
	/** Present, but not every response's index exactly once. */
	| { kind: 'unreadable' }
	| { kind: 'read'; shown: string[] };

/**
 * `metadata.judge_shown_order`: the item's responses in the order the judge saw them, as
 * 0-based indexes into the imported `responses` list (so it works for responses without ids).
 */
export function judgeShownOrder(item: ItemRecord): JudgeShownOrder {
	const raw = item.metadata?.[JUDGE_SHOWN_ORDER_KEY];
	if (raw === undefined) return { kind: 'absent' };
	const count = item.responses.length;
	const valid =
		Array.isArray(raw) &&
		raw.length === count &&
		new Set(raw).size === count &&
		raw.every((index) => Number.isInteger(index) && index >= 0 && index < count);
	if (!valid) return { kind: 'unreadable' };
	// Responses come in file order, so an index is a position in the list.
	return {
		kind: 'read',
		shown: (raw as number[]).map((index) => String(item.responses[index].id))
	};
}

/** "B › A = C": best first, ties joined; responses lettered in file order (A first). */
export function orderText(item: ItemRecord, merit: Merit): string {
	const letter = new Map(item.responses.map((r, i) => [r.id, String.fromCharCode(65 + i)]));
	return dashboardOrderText(
		[...merit].map(([id, value]) => ({ id: Number(id), value })),
		letter
	);
}

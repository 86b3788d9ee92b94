import {
	CHECK_LABELS,
	CONTENT_CHECKS,
	type CheckAction,
	type ContentCheck
} from '$lib/export-options';
import type { Turn } from '../../imports';
import { findPlaceholder } from './placeholders';

/** At most this many item ids are kept per check; the total is always counted. */
export const ITEM_ID_CAP = 50;

/** One pair as an export would write it, with what the format made of its prompt. */
export type CheckedPair = {
	/** Tells items apart (the database id); pairs of one item arrive one after another. */
	item: number;
	/** The item's id as imported: what a lead looks up. */
	itemId: string;
	prompt: readonly Turn[];
	/** The roles the format had to reshape in this prompt (see promptFit). */
	reshaped: readonly Turn['role'][];
	chosen: string;
	rejected: string;
};

const blank = (text: string) => text.trim() === '';

const FINDS: Record<ContentCheck, (pair: CheckedPair) => boolean> = {
	// The answer should reply to the user: after an assistant or tool turn it continues a turn.
	promptEnd: (pair) => pair.prompt.at(-1)?.role !== 'user',
	roles: (pair) => pair.reshaped.length > 0,
	placeholder: (pair) =>
		findPlaceholder(pair.chosen) !== null || findPlaceholder(pair.rejected) !== null,
	empty: (pair) => blank(pair.chosen) || blank(pair.rejected),
	identical: (pair) => pair.chosen.trim() === pair.rejected.trim()
};

/** The checks a pair fails, in the checks' order. */
export function pairFindings(pair: CheckedPair): ContentCheck[] {
	return CONTENT_CHECKS.filter((check) => FINDS[check](pair));
}

export type ItemIds = { ids: string[]; total: number };

export type CheckResult = {
	key: ContentCheck;
	label: string;
	action: CheckAction;
	/** Pairs found, and dropped (all of them when the action is drop, else none). */
	count: number;
	dropped: number;
	itemIds: ItemIds;
};

/** The content checks' running counts over an export's pairs. */
export type CheckTally = {
	actions: Record<ContentCheck, CheckAction>;
	/** Pairs checked: the n every count is out of. */
	pairs: number;
	/** Pairs left out by at least one check. */
	dropped: number;
	results: Record<ContentCheck, CheckResult & { lastItem: number | null }>;
};

export function createCheckTally(actions: Record<ContentCheck, CheckAction>): CheckTally {
	const result = (key: ContentCheck): CheckTally['results'][ContentCheck] => ({
		key,
		label: CHECK_LABELS[key],
		action: actions[key],
		count: 0,
		dropped: 0,
		itemIds: { ids: [], total: 0 },
		lastItem: null
	});
	const results = Object.fromEntries(
		CONTENT_CHECKS.map((key) => [key, result(key)])
	) as CheckTally['results'];
	return { actions, pairs: 0, dropped: 0, results };
}

/** Counts what each check finds in the pair; true when the pair is kept. */
export function tallyPair(tally: CheckTally, pair: CheckedPair): boolean {
	tally.pairs += 1;
	let keep = true;
	for (const check of pairFindings(pair)) {
		const result = tally.results[check];
		result.count += 1;
		if (result.action === 'drop') {
			result.dropped += 1;
			keep = false;
		}
		// Pairs of one item arrive together: a new item is one not seen just before.
		if (result.lastItem !== pair.item) {
			result.lastItem = pair.item;
			result.itemIds.total += 1;
			if (result.itemIds.ids.length < ITEM_ID_CAP) result.itemIds.ids.push(pair.itemId);
		}
	}
	if (!keep) tally.dropped += 1;
	return keep;
}

/** Each check's result, in the checks' order. */
export function checkResults(tally: CheckTally): CheckResult[] {
	return CONTENT_CHECKS.map((key) => {
		const { lastItem: _, ...result } = tally.results[key];
		return { ...result, itemIds: { ...result.itemIds, ids: [...result.itemIds.ids] } };
	});
}

/** Every check over a list of pairs at once: the pairs kept, and what each check found. */
export function runChecks(
	pairs: readonly CheckedPair[],
	actions: Record<ContentCheck, CheckAction>
): { kept: CheckedPair[]; results: CheckResult[] } {
	const tally = createCheckTally(actions);
	const kept = pairs.filter((pair) => tallyPair(tally, pair));
	return { kept, results: checkResults(tally) };
}

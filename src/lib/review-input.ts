import { z } from 'zod';
import type { EvidenceInput } from './evidence';

/** The flags a review can carry; the database stores them as this JSON list (review.schema.ts). */
export const REVIEW_FLAGS = ['none_shows_trait', 'broken_prompt', 'unsafe'] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

export const REVIEW_FLAG_LABELS = {
	none_shows_trait: 'None of these shows the trait',
	broken_prompt: 'The prompt is broken',
	unsafe: 'Unsafe content'
} as const satisfies Record<ReviewFlag, string>;

/** What the review page sends: shared by the browser (to build it) and the server (to check it). */
export const reviewInputSchema = z.object({
	scores: z.record(z.string(), z.number().int().nullable()).default({}),
	ranks: z.record(z.string(), z.number().int().min(1).nullable()).default({}),
	comments: z.record(z.string(), z.string().max(20_000)).default({}),
	overallComment: z.string().max(20_000).default(''),
	flags: z.array(z.enum(REVIEW_FLAGS)).max(REVIEW_FLAGS.length).default([]),
	/** Time spent on the item so far, in milliseconds, as the page measured it. */
	timeSpentMs: z
		.number()
		.int()
		.min(0)
		.max(24 * 3600_000)
		.default(0),
	/**
	 * Evidence spans ($lib/evidence.ts), checked on their own against the item's texts so that
	 * each broken rule gets its own message.
	 */
	evidence: z.unknown().optional()
});
export type ReviewInput = Omit<z.infer<typeof reviewInputSchema>, 'evidence'> & {
	evidence: EvidenceInput[];
};

/** Ranks in competition style (1, 1, 3) from ordered groups of tied response ids, best first. */
export function ranksFromGroups(groups: number[][]): Record<string, number> {
	const ranks: Record<string, number> = {};
	let position = 1;
	for (const group of groups) {
		for (const id of group) ranks[id] = position;
		position += group.length;
	}
	return ranks;
}

/** Ordered groups of tied ids, best first, from a rank per id. */
export function groupsFromRanks(ids: number[], ranks: Record<string, number | null>): number[][] {
	const ranked = ids.filter((id) => ranks[id] != null);
	const byRank = new Map<number, number[]>();
	for (const id of ranked) byRank.set(ranks[id]!, [...(byRank.get(ranks[id]!) ?? []), id]);
	return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group);
}

/** The order the scores imply: higher score first, equal scores tied. Unscored ids go last. */
export function groupsFromScores(ids: number[], scores: Record<string, number | null>): number[][] {
	const scored = ids.filter((id) => scores[id] != null);
	const distinct = [...new Set(scored.map((id) => scores[id]!))].sort((a, b) => b - a);
	const groups = distinct.map((s) => scored.filter((id) => scores[id] === s));
	const unscored = ids.filter((id) => scores[id] == null);
	return unscored.length ? [...groups, unscored] : groups;
}

/**
 * Pairs where the ranking puts a response above one the scores rate strictly higher: the
 * researcher is asked to confirm such an order.
 */
export function rankingContradictions(
	ids: number[],
	scores: Record<string, number | null>,
	ranks: Record<string, number | null>
): [number, number][] {
	const out: [number, number][] = [];
	for (const a of ids) {
		for (const b of ids) {
			const [sa, sb, ra, rb] = [scores[a], scores[b], ranks[a], ranks[b]];
			if (sa == null || sb == null || ra == null || rb == null) continue;
			if (ra < rb && sa < sb) out.push([a, b]);
		}
	}
	return out;
}

/** Everything a submit needs, as messages for the researcher; empty when complete. */
export function completenessProblems(
	ids: number[],
	scalePoints: number,
	input: Pick<ReviewInput, 'scores' | 'ranks'>
): string[] {
	const problems: string[] = [];
	const unscored = ids.filter((id) => {
		const s = input.scores[id];
		return s == null || s < 1 || s > scalePoints;
	});
	if (unscored.length) {
		problems.push(
			`Score every response (${unscored.length} of ${ids.length} still need a score from 1 to ${scalePoints}).`
		);
	}
	const unranked = ids.filter((id) => {
		const r = input.ranks[id];
		return r == null || r < 1 || r > ids.length;
	});
	if (unranked.length) problems.push('Rank every response.');
	return problems;
}

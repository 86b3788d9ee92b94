/**
 * Per-item consensus over reviewers' scores and ranks, preference pairs derived from it, and
 * agreement / disagreement measures for triaging items that need adjudication.
 */
import type { PairStrategy } from '$lib/export-options';
import { kendallTauB, kendallW, toAverageRanks } from './kendall';

export type ResponseId = string;

/** One reviewer's judgement of an item, as the consensus reads it. */
export interface ConsensusReview {
	reviewer: string;
	scores: Record<ResponseId, number>;
	/** 1 = best; ties allowed in any convention ({a: 1, b: 1, c: 3} or {a: 1, b: 1, c: 2}). */
	ranks: Record<ResponseId, number>;
}

export interface ConsensusItem {
	responses: ResponseId[];
	reviews: ConsensusReview[];
}

/** An adjudicator's decision: groups of tied responses, best first, or leave the item out. */
export type ConsensusDecision = { order: ResponseId[][] } | { excluded: true };

export interface ConsensusEntry {
	responseId: ResponseId;
	/** Null when no reviewer scored the response. */
	meanScore: number | null;
	/** Mean of each reviewer's average rank; null when no reviewer ranked the response. */
	meanRank: number | null;
	/** 1-based, competition style: tied entries share a position and the next one skips ahead. */
	position: number;
}

export interface PreferencePair {
	chosen: ResponseId;
	rejected: ResponseId;
	/**
	 * Mean score of chosen minus rejected; null when either has no score. Can be zero or negative
	 * when ranks or an adjudication, not scores, put chosen ahead.
	 */
	margin: number | null;
}

export interface ItemSpread {
	/** Mean over responses (scored by at least two reviewers) of the population score SD. */
	scoreSd: number | null;
	/** 1 - Kendall's W over reviewers who ranked every response. */
	rankDiscord: number | null;
	/** scoreSd + rankDiscord, missing parts counting as 0: a single key to sort by. */
	total: number;
}

/** Means computed in different orders can differ in the last bits; treat those as equal. */
const TIE_TOLERANCE = 1e-9;

/**
 * Orders responses by mean score (highest first), then mean rank (lowest first), then id.
 * Responses tied on both means share a position. An adjudication replaces the order (means are
 * still reported) and must list every response exactly once; an excluded item gives null.
 */
export function computeConsensus(
	item: ConsensusItem,
	adjudication?: ConsensusDecision | null
): ConsensusEntry[] | null {
	if (adjudication && 'excluded' in adjudication && adjudication.excluded) return null;
	const entries = sortEntries(summariseResponses(item));
	if (adjudication && 'order' in adjudication) {
		return applyAdjudicatedOrder(entries, adjudication.order);
	}
	return assignPositions(entries);
}

/**
 * Preference pairs (chosen above rejected) from a consensus, in a deterministic order.
 * Responses sharing a position are never paired with each other.
 */
export function buildPairs(
	consensus: readonly ConsensusEntry[],
	strategy: PairStrategy
): PreferencePair[] {
	// Stable sort: keeps the consensus' own order within a position.
	const ranked = [...consensus].sort((a, b) => a.position - b.position);
	if (ranked.length < 2) return [];
	const best = ranked[0];
	if (strategy === 'best-vs-worst') {
		const worst = ranked[ranked.length - 1];
		return worst.position > best.position ? [toPair(best, worst)] : [];
	}
	if (strategy === 'best-vs-each') {
		return ranked
			.filter((entry) => entry.position > best.position)
			.map((entry) => toPair(best, entry));
	}
	const pairs: PreferencePair[] = [];
	for (let i = 0; i < ranked.length; i++) {
		for (let j = i + 1; j < ranked.length; j++) {
			if (ranked[j].position > ranked[i].position) pairs.push(toPair(ranked[i], ranked[j]));
		}
	}
	return pairs;
}

/**
 * Mean Kendall tau-b over every pair of reviewers, comparing their scores on the responses both
 * scored. Tau-b because it looks only at order, so a reviewer who scores everything a point
 * harsher still agrees fully, and because it handles the ties that coarse score scales produce.
 * Reviewer pairs where tau is undefined (a constant score vector, fewer than two shared
 * responses) are skipped; null when no pair is left.
 */
export function itemAgreement(item: ConsensusItem): number | null {
	const taus: number[] = [];
	for (let i = 0; i < item.reviews.length; i++) {
		for (let j = i + 1; j < item.reviews.length; j++) {
			const tau = scoreTau(item.responses, item.reviews[i], item.reviews[j]);
			if (tau !== null) taus.push(tau);
		}
	}
	return taus.length > 0 ? mean(taus) : null;
}

/**
 * How much reviewers disagree, to put the most contested items first in an adjudication queue.
 * The SD is the population SD: it describes these reviewers, not a wider population of them.
 */
export function itemSpread(item: ConsensusItem): ItemSpread {
	return spreadOf(meanScoreSd(item), kendallW(completeRankings(item)));
}

/**
 * The same from the scores each response got (its reviewers' in review order) and the W of
 * the complete rankings: what the dashboard's tallies keep of an item.
 */
export function spreadFromTallies(scoresByResponse: number[][], w: number | null): ItemSpread {
	return spreadOf(meanSd(scoresByResponse), w);
}

function spreadOf(scoreSd: number | null, w: number | null): ItemSpread {
	const rankDiscord = w === null ? null : 1 - w;
	return { scoreSd, rankDiscord, total: (scoreSd ?? 0) + (rankDiscord ?? 0) };
}

function summariseResponses(item: ConsensusItem): Omit<ConsensusEntry, 'position'>[] {
	const rankSums = new Map<ResponseId, number[]>();
	for (const review of item.reviews) {
		for (const [id, rank] of reviewerAverageRanks(item.responses, review)) {
			const ranks = rankSums.get(id) ?? [];
			ranks.push(rank);
			rankSums.set(id, ranks);
		}
	}
	return item.responses.map((responseId) => {
		const scores = item.reviews
			.map((review) => readNumber(review.scores, responseId))
			.filter((score): score is number => score !== null);
		const ranks = rankSums.get(responseId) ?? [];
		return {
			responseId,
			meanScore: scores.length > 0 ? mean(scores) : null,
			meanRank: ranks.length > 0 ? mean(ranks) : null
		};
	});
}

/**
 * Re-ranks one reviewer's ranks as average ranks over the responses they ranked, so every
 * reviewer carries the same total rank whatever tie convention they used.
 */
function reviewerAverageRanks(
	responses: readonly ResponseId[],
	review: ConsensusReview
): Map<ResponseId, number> {
	const ids: ResponseId[] = [];
	const raw: number[] = [];
	for (const id of responses) {
		const rank = readNumber(review.ranks, id);
		if (rank !== null) {
			ids.push(id);
			raw.push(rank);
		}
	}
	const averaged = toAverageRanks(raw, 'asc');
	return new Map(ids.map((id, i) => [id, averaged[i]]));
}

function sortEntries<T extends Omit<ConsensusEntry, 'position'>>(entries: T[]): T[] {
	return [...entries].sort(
		(a, b) =>
			compareNullable(a.meanScore, b.meanScore, 'desc') ||
			compareNullable(a.meanRank, b.meanRank, 'asc') ||
			compareIds(a.responseId, b.responseId)
	);
}

function assignPositions(sorted: Omit<ConsensusEntry, 'position'>[]): ConsensusEntry[] {
	const result: ConsensusEntry[] = [];
	sorted.forEach((entry, i) => {
		const previous = result[i - 1];
		const tied = previous !== undefined && sameStanding(previous, entry);
		result.push({ ...entry, position: tied ? previous.position : i + 1 });
	});
	return result;
}

function applyAdjudicatedOrder(
	sorted: Omit<ConsensusEntry, 'position'>[],
	order: readonly (readonly ResponseId[])[]
): ConsensusEntry[] {
	const groupOf = new Map<ResponseId, number>();
	order.forEach((group, g) => {
		for (const id of group) {
			if (groupOf.has(id)) throw new RangeError(`Adjudication lists response ${id} twice`);
			groupOf.set(id, g);
		}
	});
	const known = new Set(sorted.map((entry) => entry.responseId));
	for (const id of groupOf.keys()) {
		if (!known.has(id)) throw new RangeError(`Adjudication names unknown response ${id}`);
	}
	const missing = [...known].filter((id) => !groupOf.has(id));
	if (missing.length > 0) {
		throw new RangeError(`Adjudication leaves out response(s) ${missing.join(', ')}`);
	}

	const positions: number[] = [];
	let placed = 0;
	for (const group of order) {
		positions.push(placed + 1);
		placed += group.length;
	}
	const group = (entry: Omit<ConsensusEntry, 'position'>): number =>
		groupOf.get(entry.responseId) ?? 0;
	// Array.prototype.sort is stable, so each group keeps the consensus order inside it.
	return [...sorted]
		.sort((a, b) => group(a) - group(b))
		.map((entry) => ({ ...entry, position: positions[group(entry)] }));
}

function sameStanding(a: Omit<ConsensusEntry, 'position'>, b: Omit<ConsensusEntry, 'position'>) {
	return nearlyEqual(a.meanScore, b.meanScore) && nearlyEqual(a.meanRank, b.meanRank);
}

function nearlyEqual(a: number | null, b: number | null): boolean {
	if (a === null || b === null) return a === b;
	return Math.abs(a - b) <= TIE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Near-equal values compare as equal; a missing value sorts last in either direction. */
function compareNullable(a: number | null, b: number | null, direction: 'asc' | 'desc'): number {
	if (nearlyEqual(a, b)) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return direction === 'asc' ? a - b : b - a;
}

/** Code-unit order, so the result does not depend on the server's locale. */
function compareIds(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function toPair(chosen: ConsensusEntry, rejected: ConsensusEntry): PreferencePair {
	const margin =
		chosen.meanScore === null || rejected.meanScore === null
			? null
			: chosen.meanScore - rejected.meanScore;
	return { chosen: chosen.responseId, rejected: rejected.responseId, margin };
}

function scoreTau(
	responses: readonly ResponseId[],
	a: ConsensusReview,
	b: ConsensusReview
): number | null {
	const x: number[] = [];
	const y: number[] = [];
	for (const id of responses) {
		const scoreA = readNumber(a.scores, id);
		const scoreB = readNumber(b.scores, id);
		if (scoreA !== null && scoreB !== null) {
			x.push(scoreA);
			y.push(scoreB);
		}
	}
	return kendallTauB(x, y);
}

function meanScoreSd(item: ConsensusItem): number | null {
	return meanSd(
		item.responses.map((id) =>
			item.reviews
				.map((review) => readNumber(review.scores, id))
				.filter((score): score is number => score !== null)
		)
	);
}

/** The mean, over the lists of two or more scores, of their population SD. */
function meanSd(scoreLists: readonly number[][]): number | null {
	const sds = scoreLists.filter((scores) => scores.length >= 2).map(populationSd);
	return sds.length > 0 ? mean(sds) : null;
}

/** W needs a full ranking from each rater, so partial rankers are left out. */
function completeRankings(item: ConsensusItem): number[][] {
	const rows: number[][] = [];
	for (const review of item.reviews) {
		const row = item.responses.map((id) => readNumber(review.ranks, id));
		if (row.every((rank): rank is number => rank !== null)) rows.push(row);
	}
	return rows;
}

/** Own, finite values only: records come from user input and may have gaps. */
function readNumber(record: Record<string, number>, key: string): number | null {
	if (!Object.hasOwn(record, key)) return null;
	const value: unknown = record[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function mean(values: readonly number[]): number {
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function populationSd(values: readonly number[]): number {
	const centre = mean(values);
	return Math.sqrt(mean(values.map((value) => (value - centre) ** 2)));
}

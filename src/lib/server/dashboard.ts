import { sql } from 'drizzle-orm';
import type { AppDB, DB } from './db';
import { batchAgreementAsync } from './agreement';
import { cachedForBatch } from './batch-cache';
import { ModelGames, type TraitModels } from './model-comparison';
import { batchReviewerLabels } from './pseudonyms';
import {
	consensusAdjudication,
	consensusInput,
	nextTurn,
	readItemChunks,
	type ItemRecord,
	type ResponseRecord
} from './item-records';
import { computeConsensus, kendallTauB, kendallW, type ConsensusEntry } from './stats';

/**
 * What the batch dashboard shows: progress, the time reviews take, agreement between reviewers,
 * and how the human consensus compares with AI judges and reference labels.
 *
 * Progress counts submitted reviews against the reviews wanted: every item that has responses,
 * times the batch's overlap. An item's reviews beyond its overlap (after the overlap was
 * lowered) do not count, so progress never passes 100%.
 */

const DAY_MS = 86_400_000;
/** Beyond this many days between the first and last review, reviews are counted per week. */
const MAX_DAILY_SPAN = 92;

export type Progress = { done: number; wanted: number };

export type BatchProgressRow = Progress & {
	id: number;
	name: string;
	status: string;
	overlap: number;
	/** Items that have responses to review. */
	items: number;
	researchers: number;
};

/** Every batch with its progress, newest first: the overview across batches. */
export function listBatchProgress(db: DB): BatchProgressRow[] {
	return db
		.all<Omit<BatchProgressRow, 'wanted'>>(
			sql`
		select b.id, b.name, b.status, b.overlap, count(i.id) as items,
		       coalesce(sum(min(i.submitted_count, b.overlap)), 0) as done,
		       (select count(*) from assignments a where a.batch_id = b.id) as researchers
		  from batches b
		  left join items i on i.batch_id = b.id and i.response_count > 0
		 where b.status <> 'importing'
		 group by b.id
		 order by b.created_at desc, b.id desc`
		)
		.map((row) => ({ ...row, wanted: row.items * row.overlap }));
}

export type TraitProgress = Progress & { traitId: number; key: string; items: number };

/** Progress of one batch, overall and per trait. */
export function batchProgress(db: DB, batchId: number) {
	const byTrait = db
		.all<Omit<TraitProgress, 'wanted'> & { overlap: number }>(
			sql`
		select t.id as traitId, t.key as key, b.overlap as overlap, count(*) as items,
		       sum(min(i.submitted_count, b.overlap)) as done
		  from items i
		  join batches b on b.id = i.batch_id
		  join traits t on t.id = i.trait_id
		 where i.batch_id = ${batchId} and i.response_count > 0
		 group by t.id
		 order by t.key`
		)
		.map(({ overlap, ...row }) => ({ ...row, wanted: row.items * overlap }));
	return {
		items: byTrait.reduce((sum, t) => sum + t.items, 0),
		done: byTrait.reduce((sum, t) => sum + t.done, 0),
		wanted: byTrait.reduce((sum, t) => sum + t.wanted, 0),
		byTrait
	};
}

export type ResearcherProgress = {
	userId: number;
	submitted: number;
	skipped: number;
	drafts: number;
	quota: number | null;
	/**
	 * The submitted reviews expected of this researcher: their quota when they have one (at most
	 * one review per item), otherwise an even share of what the quotas leave. Null when they are
	 * no longer assigned.
	 */
	target: number | null;
};

/**
 * Each researcher who is assigned to the batch or has reviewed in it, by user id. Targets:
 * a quota counts as is (capped at the number of items); the reviews the quotas leave,
 * (items × overlap − quotas), are shared evenly among the researchers without one, rounded up
 * and capped at one review per item.
 */
export function researcherProgress(db: DB, batchId: number): ResearcherProgress[] {
	const batch = db.get<{ overlap: number; items: number }>(sql`
		select b.overlap as overlap,
		       (select count(*) from items i where i.batch_id = b.id and i.response_count > 0) as items
		  from batches b where b.id = ${batchId}`);
	if (!batch) return [];
	const assigned = db.all<{ userId: number; quota: number | null }>(
		sql`select user_id as userId, quota from assignments where batch_id = ${batchId}`
	);
	const counts = db.all<{ userId: number; status: string; n: number }>(sql`
		select user_id as userId, status, count(*) as n from reviews
		 where batch_id = ${batchId} group by user_id, status`);

	const quotaTargets = assigned
		.filter((a) => a.quota !== null)
		.reduce((sum, a) => sum + Math.min(a.quota!, batch.items), 0);
	const unquoted = assigned.filter((a) => a.quota === null).length;
	const share =
		unquoted === 0
			? 0
			: Math.min(
					batch.items,
					Math.ceil(Math.max(0, batch.items * batch.overlap - quotaTargets) / unquoted)
				);

	const rows = new Map<number, ResearcherProgress>();
	const row = (userId: number) => {
		let found = rows.get(userId);
		if (!found) {
			found = { userId, submitted: 0, skipped: 0, drafts: 0, quota: null, target: null };
			rows.set(userId, found);
		}
		return found;
	};
	for (const a of assigned) {
		const r = row(a.userId);
		r.quota = a.quota;
		r.target = a.quota === null ? share : Math.min(a.quota, batch.items);
	}
	for (const c of counts) {
		const r = row(c.userId);
		if (c.status === 'submitted') r.submitted = c.n;
		else if (c.status === 'skipped') r.skipped = c.n;
		else r.drafts = c.n;
	}
	return [...rows.values()].sort((a, b) => a.userId - b.userId);
}

export type ReviewsOverTime = {
	unit: 'day' | 'week';
	/** Consecutive days (or weeks starting on Monday), UTC, from the first review to the last. */
	buckets: { start: string; reviews: number }[];
	total: number;
};

/** Submitted reviews per UTC day, by the time each was first submitted; per week over long spans. */
export function reviewsOverTime(db: DB, batchId: number): ReviewsOverTime {
	// A bound number divides as a real: the cast makes it the day number again.
	const days = db.all<{ day: number; reviews: number }>(sql`
		select cast(submitted_at / ${DAY_MS} as integer) as day, count(*) as reviews from reviews
		 where batch_id = ${batchId} and status = 'submitted' and submitted_at is not null
		 group by day order by day`);
	const total = days.reduce((sum, d) => sum + d.reviews, 0);
	if (days.length === 0) return { unit: 'day', buckets: [], total };
	const span = days[days.length - 1].day - days[0].day + 1;
	const unit = span > MAX_DAILY_SPAN ? 'week' : 'day';
	const step = unit === 'week' ? 7 : 1;
	// Day 0 (1970-01-01) was a Thursday: the Monday of its week is day -3.
	const bucketOf = (day: number) => (unit === 'week' ? day - ((((day + 3) % 7) + 7) % 7) : day);
	const counts = new Map<number, number>();
	for (const d of days) counts.set(bucketOf(d.day), (counts.get(bucketOf(d.day)) ?? 0) + d.reviews);
	const buckets = [];
	for (let b = bucketOf(days[0].day); b <= days[days.length - 1].day; b += step) {
		buckets.push({
			start: new Date(b * DAY_MS).toISOString().slice(0, 10),
			reviews: counts.get(b) ?? 0
		});
	}
	return { unit, buckets, total };
}

/** Upper bounds of the time bins, in milliseconds; the last bin is open-ended. */
export const TIME_BIN_EDGES_MS = [30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 3_600_000];

export type TimeSpent = {
	reviews: number;
	bins: { label: string; fromMs: number; toMs: number | null; reviews: number }[];
	medianMs: number | null;
	/** Nearest-rank 90th percentile. */
	p90Ms: number | null;
};

/** How long submitted reviews took, as the review page measured it: a histogram and quantiles. */
export function timeSpent(db: DB, batchId: number): TimeSpent {
	const cases = sql.join(
		TIME_BIN_EDGES_MS.map((edge, i) => sql`when time_spent_ms < ${edge} then ${i}`),
		sql` `
	);
	const counts = new Map(
		db
			.all<{ bin: number; n: number }>(
				sql`
			select case ${cases} else ${TIME_BIN_EDGES_MS.length} end as bin, count(*) as n
			  from reviews where batch_id = ${batchId} and status = 'submitted' group by bin`
			)
			.map((row) => [row.bin, row.n])
	);
	const bins = [0, ...TIME_BIN_EDGES_MS].map((fromMs, i) => {
		const toMs = TIME_BIN_EDGES_MS[i] ?? null;
		return { label: binLabel(fromMs, toMs), fromMs, toMs, reviews: counts.get(i) ?? 0 };
	});
	const reviews = bins.reduce((sum, b) => sum + b.reviews, 0);
	// Read the few values needed by position instead of loading every review's time.
	const at = (offset: number) =>
		db.get<{ t: number }>(sql`
			select time_spent_ms as t from reviews
			 where batch_id = ${batchId} and status = 'submitted'
			 order by time_spent_ms limit 1 offset ${offset}`)!.t;
	if (reviews === 0) return { reviews, bins, medianMs: null, p90Ms: null };
	const medianMs =
		reviews % 2 === 1 ? at((reviews - 1) / 2) : (at(reviews / 2 - 1) + at(reviews / 2)) / 2;
	return { reviews, bins, medianMs, p90Ms: at(Math.ceil(0.9 * reviews) - 1) };
}

function binLabel(fromMs: number, toMs: number | null): string {
	const show = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);
	if (fromMs === 0) return `under ${show(toMs!)}`;
	if (toMs === null) return `${show(fromMs)} or more`;
	return `${show(fromMs)} – ${show(toMs)}`;
}

// ---------------------------------------------------------------------------------------------
// Measures over whole items: concordance, human vs AI, human vs reference

export type MeanOf = { mean: number | null; items: number };
export type ReferenceTally = {
	/** Items with at least one GOOD and one BAD response and a consensus. */
	items: number;
	/** GOOD × BAD response pairs within those items. */
	pairs: number;
	above: number;
	tied: number;
	below: number;
	/** above / pairs. */
	rate: number | null;
};
export type Disagreement = {
	itemId: number;
	externalId: string;
	traitKey: string;
	tau: number;
	reviews: number;
	adjudicated: boolean;
	/** Responses by letter (A = first in the imported file), best first; "=" joins ties. */
	aiOrder: string;
	humanOrder: string;
};

export type ItemMeasures = {
	/** Kendall's W of the reviewers' rankings, averaged over items ranked fully by two or more. */
	concordance: MeanOf & { byTrait: (MeanOf & { key: string })[] };
	humanVsAi: {
		/** Items whose responses carry AI ranks or scores. */
		itemsWithAi: number;
		/** Mean over items of Kendall's tau-b between the AI order and the human consensus. */
		overall: MeanOf;
		byTrait: (MeanOf & { key: string })[];
		/** The items where the two orders differ most, lowest tau first. */
		disagreements: Disagreement[];
	};
	reference: ReferenceTally & { byTrait: (ReferenceTally & { key: string })[] };
	/** Trait by model: Bradley-Terry strengths and win rates from the consensus order. */
	byModel: TraitModels[];
};

class Mean {
	sum = 0;
	items = 0;
	add(value: number) {
		this.sum += value;
		this.items += 1;
	}
	get value(): MeanOf {
		return { mean: this.items > 0 ? this.sum / this.items : null, items: this.items };
	}
}

function emptyTally(): ReferenceTally {
	return { items: 0, pairs: 0, above: 0, tied: 0, below: 0, rate: null };
}

function byKey<T>(map: Map<string, T>, key: string, create: () => T): T {
	let found = map.get(key);
	if (!found) map.set(key, (found = create()));
	return found;
}

const TAU_TOLERANCE = 1e-9;

/**
 * One pass over the batch's items, a chunk at a time; only sums, tallies and the `top` most
 * disagreeing items are kept, so memory does not grow with the batch. The consensus honours
 * adjudications: an adjudicated order replaces it, an excluded item is left out.
 */
export async function itemMeasures(db: AppDB, batchId: number, top = 10): Promise<ItemMeasures> {
	const concordance = new Mean();
	const concordanceByTrait = new Map<string, Mean>();
	const tau = new Mean();
	const tauByTrait = new Map<string, Mean>();
	let itemsWithAi = 0;
	let disagreements: Disagreement[] = [];
	const reference = emptyTally();
	const referenceByTrait = new Map<string, ReferenceTally>();
	const modelGames = new ModelGames();

	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			const w = itemConcordance(item);
			if (w !== null) {
				concordance.add(w);
				byKey(concordanceByTrait, item.traitKey, () => new Mean()).add(w);
			}
			const consensus = consensusOf(item);
			const ai = aiOrder(item);
			if (ai) itemsWithAi++;
			if (!consensus) continue;
			const position = new Map(consensus.map((e) => [Number(e.responseId), e.position]));
			modelGames.addItem(item.traitKey, item.responses, position);

			if (ai) {
				const t = kendallTauB(
					ai.values,
					ai.responses.map((r) => -position.get(r.id)!)
				);
				if (t !== null) {
					tau.add(t);
					byKey(tauByTrait, item.traitKey, () => new Mean()).add(t);
					if (t < 1 - TAU_TOLERANCE) {
						disagreements.push(disagreement(item, t, ai, consensus));
						disagreements.sort((a, b) => a.tau - b.tau || a.itemId - b.itemId);
						if (disagreements.length > top) disagreements = disagreements.slice(0, top);
					}
				}
			}

			const good = item.responses.filter((r) => r.referenceLabel === 'good');
			const bad = item.responses.filter((r) => r.referenceLabel === 'bad');
			if (good.length > 0 && bad.length > 0) {
				const traitTally = byKey(referenceByTrait, item.traitKey, emptyTally);
				for (const tally of [reference, traitTally]) tally.items++;
				for (const g of good) {
					for (const b of bad) {
						const diff = position.get(b.id)! - position.get(g.id)!;
						const outcome = diff > 0 ? 'above' : diff === 0 ? 'tied' : 'below';
						for (const tally of [reference, traitTally]) {
							tally.pairs++;
							tally[outcome]++;
						}
					}
				}
			}
		}
		await nextTurn();
	}

	const withRate = (t: ReferenceTally) => ({ ...t, rate: t.pairs > 0 ? t.above / t.pairs : null });
	const sorted = <T>(map: Map<string, T>) =>
		[...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
	return {
		concordance: {
			...concordance.value,
			byTrait: sorted(concordanceByTrait).map(([key, m]) => ({ key, ...m.value }))
		},
		humanVsAi: {
			itemsWithAi,
			overall: tau.value,
			byTrait: sorted(tauByTrait).map(([key, m]) => ({ key, ...m.value })),
			disagreements
		},
		reference: {
			...withRate(reference),
			byTrait: sorted(referenceByTrait).map(([key, t]) => ({ key, ...withRate(t) }))
		},
		byModel: modelGames.summarise()
	};
}

/** Kendall's W over the reviewers who ranked every response of the item. */
function itemConcordance(item: ItemRecord): number | null {
	const rows: number[][] = [];
	for (const review of item.reviews) {
		const row = item.responses.map((r) => review.ranks[r.id]);
		if (row.every((rank) => typeof rank === 'number')) rows.push(row);
	}
	return kendallW(rows);
}

/** The human consensus, or null when the item is excluded or nobody has judged it yet. */
function consensusOf(item: ItemRecord): ConsensusEntry[] | null {
	const adjudication = consensusAdjudication(item);
	if (item.reviews.length === 0 && !(adjudication && 'order' in adjudication)) return null;
	return computeConsensus(consensusInput(item), adjudication);
}

type AiOrder = { responses: ResponseRecord[]; values: number[] };

/** The AI judge's order as "higher is better" values: its ranks if given, else its scores. */
function aiOrder(item: ItemRecord): AiOrder | null {
	const ranked = item.responses.filter((r) => r.aiRank !== null);
	if (ranked.length >= 2) return { responses: ranked, values: ranked.map((r) => -r.aiRank!) };
	const scored = item.responses.filter((r) => r.aiScore !== null);
	if (scored.length >= 2) return { responses: scored, values: scored.map((r) => r.aiScore!) };
	return null;
}

function disagreement(
	item: ItemRecord,
	tau: number,
	ai: AiOrder,
	consensus: ConsensusEntry[]
): Disagreement {
	const letter = new Map(item.responses.map((r, i) => [r.id, String.fromCharCode(65 + i)]));
	const humanOrder = orderText(
		consensus.map((e) => ({ id: Number(e.responseId), value: -e.position })),
		letter
	);
	const aiText = orderText(
		ai.responses.map((r, i) => ({ id: r.id, value: ai.values[i] })),
		letter
	);
	return {
		itemId: item.id,
		externalId: item.externalId,
		traitKey: item.traitKey,
		tau,
		reviews: item.reviews.length,
		adjudicated: item.adjudication !== null,
		aiOrder: aiText,
		humanOrder
	};
}

/** "B › A = C": best first, ties joined. */
function orderText(entries: { id: number; value: number }[], letter: Map<number, string>): string {
	const sorted = [...entries].sort((a, b) => b.value - a.value || a.id - b.id);
	let text = '';
	sorted.forEach((e, i) => {
		if (i > 0) text += e.value === sorted[i - 1].value ? ' = ' : ' › ';
		text += letter.get(e.id) ?? '?';
	});
	return text;
}

// ---------------------------------------------------------------------------------------------
// Readings: one line of plain language per measure

/** Kendall's W on Schmidt's (1997) scale. */
export function describeConcordance(w: number | null): string {
	if (w === null) return 'No item has full rankings from two reviewers yet.';
	const shown = `W = ${w.toFixed(3)}`;
	if (w >= 0.7) return `${shown}: strong — reviewers rank an item's responses much the same way.`;
	if (w >= 0.5) return `${shown}: moderate — reviewers' rankings broadly agree.`;
	if (w >= 0.3) return `${shown}: weak — reviewers' rankings often differ.`;
	return `${shown}: very weak — reviewers rank the responses in different orders.`;
}

export function describeTau(tau: number | null): string {
	if (tau === null) return 'No item has both an AI order and a human consensus yet.';
	const shown = `τ = ${tau.toFixed(3)}`;
	if (tau >= 0.6) return `${shown}: humans mostly keep the AI's order.`;
	if (tau >= 0.2) return `${shown}: humans partly agree with the AI's order.`;
	if (tau > -0.2) return `${shown}: the human order is unrelated to the AI's.`;
	return `${shown}: humans mostly reverse the AI's order.`;
}

export function describeReferenceRate(rate: number | null): string {
	if (rate === null) return 'No item with both a GOOD and a BAD response has a consensus yet.';
	const shown = `GOOD above BAD in ${(rate * 100).toFixed(1)}% of pairs`;
	if (rate >= 0.9) return `${shown}: reviewers side with the reference almost always.`;
	if (rate >= 0.7) return `${shown}: reviewers mostly side with the reference.`;
	if (rate >= 0.5) return `${shown}: reviewers and the reference often disagree.`;
	return `${shown}: reviewers more often than not fail to prefer the GOOD response.`;
}

// ---------------------------------------------------------------------------------------------
// The whole dashboard

export async function batchDashboard(db: AppDB, batchId: number, options: { showNames: boolean }) {
	const researchers = researcherProgress(db, batchId);
	const agreement = await cachedForBatch(db, batchId, 'agreement', () =>
		batchAgreementAsync(db, batchId)
	);
	const label = batchReviewerLabels(db, batchId, options.showNames);
	const measures = await cachedForBatch(db, batchId, 'item-measures', () =>
		itemMeasures(db, batchId)
	);
	return {
		progress: batchProgress(db, batchId),
		researchers: researchers.map(({ userId, ...rest }) => ({
			reviewer: label(userId),
			...rest
		})),
		reviewsOverTime: reviewsOverTime(db, batchId),
		timeSpent: timeSpent(db, batchId),
		agreement: {
			ratings: agreement.ratings,
			overall: agreement.overall,
			byTrait: agreement.byTrait,
			withoutReviewer: [...agreement.withoutReviewer]
				.sort((a, b) => a.userId - b.userId)
				.map((w) => ({ reviewer: label(w.userId), alpha: w.alpha })),
			concordance: {
				...measures.concordance,
				reading: describeConcordance(measures.concordance.mean)
			}
		},
		humanVsAi: { ...measures.humanVsAi, reading: describeTau(measures.humanVsAi.overall.mean) },
		reference: { ...measures.reference, reading: describeReferenceRate(measures.reference.rate) },
		byModel: measures.byModel
	};
}

export type BatchDashboard = Awaited<ReturnType<typeof batchDashboard>>;

import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { AppDB } from '../db';
import {
	batches,
	items,
	leases,
	responses,
	reviewResponses,
	reviews,
	traits,
	traitVersions
} from '../db/schema';
import { listEvidence } from '../evidence';
import { requireAssignment } from './assignments';
import { getQueueProgress } from './queue';
import { shuffledFor } from './rows';

/**
 * The titles of the sections (traits of the same constitution) that a description links to as
 * `[?](#key)`, so the page can name them: the Model Spec cross-references its sections so.
 */
function linkedSectionTitles(
	db: AppDB,
	constitutionId: number,
	description: string
): Record<string, string> {
	const keys = [...new Set([...description.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]))];
	if (!keys.length) return {};
	const rows = db
		.select({ key: traits.key, title: traitVersions.title })
		.from(traits)
		.innerJoin(
			traitVersions,
			and(eq(traitVersions.traitId, traits.id), eq(traitVersions.version, traits.currentVersion))
		)
		.where(and(eq(traits.constitutionId, constitutionId), inArray(traits.key, keys)))
		.all();
	return Object.fromEntries(rows.map((r) => [r.key, r.title]));
}

/**
 * Everything the review page shows, shaped for one researcher. Blind batches never send model
 * names or AI scores, and reference labels only reach a calibration reviewer after they
 * submit: what is not sent cannot leak through the page source. Refused (403) once the
 * researcher is no longer assigned to the batch; null when the item is not theirs to see.
 */
export function loadReviewPage(
	db: AppDB,
	userId: number,
	batchId: number,
	itemId: number,
	now = new Date()
) {
	requireAssignment(db, userId, batchId);
	const row = db
		.select({
			item: items,
			batch: batches,
			version: traitVersions,
			traitKey: traits.key,
			constitutionId: traits.constitutionId
		})
		.from(items)
		.innerJoin(batches, eq(batches.id, items.batchId))
		.innerJoin(traits, eq(traits.id, items.traitId))
		.innerJoin(
			traitVersions,
			and(eq(traitVersions.traitId, traits.id), eq(traitVersions.version, traits.currentVersion))
		)
		.where(and(eq(items.id, itemId), eq(items.batchId, batchId)))
		.get();
	if (!row) return null;
	const review = db
		.select()
		.from(reviews)
		.where(and(eq(reviews.itemId, itemId), eq(reviews.userId, userId)))
		.get();
	const lease = db
		.select()
		.from(leases)
		.where(and(eq(leases.itemId, itemId), eq(leases.userId, userId), gt(leases.expiresAt, now)))
		.get();
	// Only the item you hold or have already reviewed: no browsing other people's queue.
	if (!review && !lease) return null;

	const all = db
		.select()
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.orderBy(asc(responses.position))
		.all();
	// An imported review records no shown order (an empty list): show this instance's shuffle.
	const order = review?.shownOrder.length
		? review.shownOrder
		: shuffledFor(
				userId,
				itemId,
				all.map((r) => r.id)
			);
	const byId = new Map(all.map((r) => [r.id, r]));
	const submitted = review?.status === 'submitted';
	const revealReference = row.batch.calibration && submitted;
	const judged = review
		? db.select().from(reviewResponses).where(eq(reviewResponses.reviewId, review.id)).all()
		: [];
	const judgedById = new Map(judged.map((j) => [j.responseId, j]));

	return {
		batch: {
			id: row.batch.id,
			name: row.batch.name,
			status: row.batch.status,
			scalePoints: row.batch.scalePoints,
			blind: row.batch.blind,
			calibration: row.batch.calibration
		},
		item: { id: row.item.id, prompt: row.item.prompt },
		trait: {
			key: row.traitKey,
			title: row.version.title,
			description: row.version.description,
			rubric: row.version.rubric,
			version: row.version.version,
			sections: linkedSectionTitles(db, row.constitutionId, row.version.description)
		},
		responses: order
			.filter((id) => byId.has(id))
			.map((id, i) => {
				const r = byId.get(id)!;
				return {
					id,
					letter: String.fromCharCode(65 + i),
					content: r.content,
					...(!row.batch.blind && { model: r.model, aiScore: r.aiScore, aiRank: r.aiRank }),
					...(revealReference && {
						referenceLabel: r.referenceLabel,
						referenceReason: r.referenceReason
					})
				};
			}),
		review: review
			? {
					status: review.status,
					overallComment: review.overallComment,
					flags: review.flags,
					timeSpentMs: review.timeSpentMs,
					updatedAt: review.updatedAt.toISOString(),
					skipReason: review.skipReason,
					scores: Object.fromEntries(order.map((id) => [id, judgedById.get(id)?.score ?? null])),
					ranks: Object.fromEntries(order.map((id) => [id, judgedById.get(id)?.rank ?? null])),
					comments: Object.fromEntries(order.map((id) => [id, judgedById.get(id)?.comment ?? ''])),
					evidence: listEvidence(db, review.id)
				}
			: null,
		progress: getQueueProgress(db, userId, batchId)
	};
}

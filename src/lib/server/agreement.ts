import { sql } from 'drizzle-orm';
import type { DB } from './db';
import { alphaFromRatings, describeAlpha, leaveOneOutAlpha, type Rating } from './stats';

type ScoreRow = {
	itemId: number;
	responseId: number;
	userId: number;
	traitId: number;
	score: number;
};

export type AlphaReading = { ordinal: number | null; interval: number | null; reading: string };

function reading(ratings: Rating[]): AlphaReading {
	const ordinal = alphaFromRatings(ratings, 'ordinal');
	return {
		ordinal,
		interval: alphaFromRatings(ratings, 'interval'),
		reading: describeAlpha(ordinal)
	};
}

/**
 * How far the reviewers of a batch agree on their scores: Krippendorff's alpha (ordinal and
 * interval) over every scored response, for the batch and per trait, and per reviewer the
 * alpha of everyone else (leave-one-out). Each response of an item is one unit.
 */
export function batchAgreement(db: DB, batchId: number) {
	const rows = db.all<ScoreRow>(sql`
		select r.item_id as itemId, rr.response_id as responseId, r.user_id as userId,
		       i.trait_id as traitId, rr.score as score
		  from review_responses rr
		  join reviews r on r.id = rr.review_id
		  join items i on i.id = r.item_id
		 where r.batch_id = ${batchId} and r.status = 'submitted' and rr.score is not null`);
	const toRating = (row: ScoreRow): Rating => ({
		unit: row.responseId,
		coder: row.userId,
		value: row.score
	});
	const ratings = rows.map(toRating);

	const byTrait = new Map<number, Rating[]>();
	for (const row of rows)
		byTrait.set(row.traitId, [...(byTrait.get(row.traitId) ?? []), toRating(row)]);
	const traitKeys = new Map(
		db
			.all<{ id: number; key: string }>(
				sql`select id, key from traits where id in (select distinct trait_id from items where batch_id = ${batchId})`
			)
			.map((t) => [t.id, t.key])
	);

	const loo = leaveOneOutAlpha(ratings, 'ordinal');
	return {
		ratings: ratings.length,
		overall: reading(ratings),
		byTrait: [...byTrait.entries()].map(([traitId, list]) => ({
			traitId,
			key: traitKeys.get(traitId) ?? String(traitId),
			...reading(list)
		})),
		/** Alpha without each reviewer: a value well above the overall one marks an outlier. */
		withoutReviewer: [...loo.byCoder.entries()].map(([userId, alpha]) => ({
			userId: Number(userId),
			alpha
		}))
	};
}

import type { AppDB } from '../db';
import { statement } from '../db/statements';

/**
 * How much data each alpha rests on, for its n and its "too few to judge": units (scored
 * responses) with scores from two or more reviewers, and the scores in them (Krippendorff's
 * pairable values). Counted in SQL, so it is quick even where alpha itself takes seconds.
 */

export type PairableCounts = { units: number; values: number };

export type ReviewerOverlap = {
	userId: number;
	/** Units this reviewer scored that someone else scored too. */
	shared: number;
	/** What the others still share without this reviewer. */
	others: PairableCounts;
};

export type AlphaCounts = {
	overall: PairableCounts;
	byTrait: Map<number, PairableCounts>;
	byReviewer: ReviewerOverlap[];
};

/** Responses of the batch scored by two or more reviewers, with how many scores each has. */
const PAIRABLE_UNITS = `
	WITH unit AS (
		SELECT rr.response_id AS responseId, count(*) AS n
		  FROM reviews r JOIN review_responses rr ON rr.review_id = r.id
		 WHERE r.batch_id = ? AND r.status = 'submitted' AND rr.score IS NOT NULL
		 GROUP BY rr.response_id HAVING count(*) >= 2)`;

export function alphaCounts(db: Pick<AppDB, '$client'>, batchId: number): AlphaCounts {
	const client = db.$client;
	const traits = statement(
		client,
		`${PAIRABLE_UNITS}
		SELECT i.trait_id AS traitId, count(*) AS units, sum(unit.n) AS "values"
		  FROM unit JOIN responses s ON s.id = unit.responseId JOIN items i ON i.id = s.item_id
		 GROUP BY i.trait_id`
	).all(batchId) as ({ traitId: number } & PairableCounts)[];
	const overall = traits.reduce(
		(sum, t) => ({ units: sum.units + t.units, values: sum.values + t.values }),
		{ units: 0, values: 0 }
	);
	// Leaving a reviewer out of a unit with two scores leaves it unpairable (both scores go);
	// out of a larger unit, only their own score goes.
	const reviewers = statement(
		client,
		`${PAIRABLE_UNITS}
		SELECT r.user_id AS userId, count(*) AS shared, sum(unit.n = 2) AS lostUnits,
		       sum(CASE WHEN unit.n = 2 THEN 2 ELSE 1 END) AS lostValues
		  FROM reviews r JOIN review_responses rr ON rr.review_id = r.id
		  JOIN unit ON unit.responseId = rr.response_id
		 WHERE r.batch_id = ? AND r.status = 'submitted' AND rr.score IS NOT NULL
		 GROUP BY r.user_id ORDER BY r.user_id`
	).all(batchId, batchId) as {
		userId: number;
		shared: number;
		lostUnits: number;
		lostValues: number;
	}[];
	return {
		overall,
		byTrait: new Map(traits.map(({ traitId, ...counts }) => [traitId, counts])),
		byReviewer: reviewers.map((r) => ({
			userId: r.userId,
			shared: r.shared,
			others: { units: overall.units - r.lostUnits, values: overall.values - r.lostValues }
		}))
	};
}

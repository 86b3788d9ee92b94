import type Database from 'better-sqlite3';
import type { AppDB } from '../../db';
import { statement } from '../../db/statements';
import {
	listAssigned,
	researcherProgressFrom,
	summariseProgress,
	type BatchProgress,
	type ResearcherProgress,
	type ReviewCount
} from '../progress';
import {
	reviewsPerBucket,
	timeSpentFrom,
	TIME_BIN_EDGES_MS,
	type ReviewsOverTime,
	type TimeSpent
} from '../timing';
import type { BatchTallies } from './read';

/**
 * Progress and timing from the tallies: the item counts fixed at import, the submitted
 * reviews per item (item_tallies) and the review counts the database keeps by trigger.
 */

export function tallyProgress(tallies: BatchTallies): BatchProgress {
	const facts = new Map(tallies.facts.map((f) => [f.traitId, f]));
	const byTrait = [...tallies.keys]
		.filter(([traitId]) => (facts.get(traitId)?.withResponses ?? 0) > 0)
		.map(([traitId, key]) => {
			const items = facts.get(traitId)!.withResponses;
			const done = tallies.done.get(traitId) ?? 0;
			return { traitId, key, items, done, wanted: items * tallies.overlap };
		});
	return summariseProgress(byTrait);
}

export function tallyResearcherProgress(
	db: AppDB,
	batchId: number,
	tallies: BatchTallies
): ResearcherProgress[] {
	const counts = statement(
		db.$client,
		`SELECT user_id AS userId, status, reviews AS n FROM reviewer_tallies
		  WHERE batch_id = ? AND reviews > 0`
	).all(batchId) as ReviewCount[];
	const items = tallies.facts.reduce((sum, f) => sum + f.withResponses, 0);
	return researcherProgressFrom(
		{ overlap: tallies.overlap, items },
		listAssigned(db, batchId),
		counts
	);
}

function submissions(client: Database.Database, batchId: number, measure: string) {
	return statement(
		client,
		`SELECT value, reviews FROM submission_tallies
		  WHERE batch_id = ? AND measure = ? AND reviews > 0 ORDER BY value`
	)
		.raw()
		.all(batchId, measure) as [number, number][];
}

export function tallyReviewsOverTime(client: Database.Database, batchId: number): ReviewsOverTime {
	return reviewsPerBucket(
		submissions(client, batchId, 'day').map(([day, reviews]) => ({ day, reviews }))
	);
}

/**
 * The bins from the reviews per whole second (every bin edge is a whole second); a review's
 * exact time at a position from the seconds up to it, then the milliseconds within its second.
 */
export function tallyTimeSpent(client: Database.Database, batchId: number): TimeSpent {
	const seconds = submissions(client, batchId, 'second');
	const counts = new Map<number, number>();
	for (const [second, reviews] of seconds) {
		let bin = TIME_BIN_EDGES_MS.findIndex((edge) => second * 1000 < edge);
		if (bin === -1) bin = TIME_BIN_EDGES_MS.length;
		counts.set(bin, (counts.get(bin) ?? 0) + reviews);
	}
	const within = statement(
		client,
		`SELECT value, reviews FROM submission_tallies
		  WHERE batch_id = ? AND measure = 'ms' AND value BETWEEN ? AND ? AND reviews > 0 ORDER BY value`
	).raw();
	const at = (offset: number) => {
		let before = 0;
		for (const [second, reviews] of seconds) {
			if (offset >= before + reviews) {
				before += reviews;
				continue;
			}
			// Integer division truncates, so second 0 holds -999 ms to 999 ms.
			const low = second > 0 ? second * 1000 : second * 1000 - 999;
			const high = second < 0 ? second * 1000 : second * 1000 + 999;
			for (const [ms, n] of within.all(batchId, low, high) as [number, number][]) {
				before += n;
				if (offset < before) return ms;
			}
			break;
		}
		throw new Error(`The time tallies of batch ${batchId} have no review at ${offset}.`);
	};
	return timeSpentFrom(counts, at);
}

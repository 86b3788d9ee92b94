import { sql } from 'drizzle-orm';
import type { DB } from '../db';

/** When a batch's reviews were submitted, and how long each took. */

const DAY_MS = 86_400_000;
/** Beyond this many days between the first and last review, reviews are counted per week. */
const MAX_DAILY_SPAN = 92;

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
	return reviewsPerBucket(days);
}

/** Days (UTC day numbers, ascending, each with its submitted reviews) as the chart's buckets. */
export function reviewsPerBucket(days: { day: number; reviews: number }[]): ReviewsOverTime {
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
	// Read the few values needed by position instead of loading every review's time.
	const at = (offset: number) =>
		db.get<{ t: number }>(sql`
			select time_spent_ms as t from reviews
			 where batch_id = ${batchId} and status = 'submitted'
			 order by time_spent_ms limit 1 offset ${offset}`)!.t;
	return timeSpentFrom(counts, at);
}

/**
 * The figures from the reviews per bin (by index into the bins) and a way to read the time of
 * the review at a position in ascending order of time.
 */
export function timeSpentFrom(
	counts: Map<number, number>,
	at: (offset: number) => number
): TimeSpent {
	const bins = [0, ...TIME_BIN_EDGES_MS].map((fromMs, i) => {
		const toMs = TIME_BIN_EDGES_MS[i] ?? null;
		return { label: binLabel(fromMs, toMs), fromMs, toMs, reviews: counts.get(i) ?? 0 };
	});
	const reviews = bins.reduce((sum, b) => sum + b.reviews, 0);
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

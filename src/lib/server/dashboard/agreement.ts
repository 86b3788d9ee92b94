import type Database from 'better-sqlite3';
import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { nextTurn, type ItemRecord } from '../item-records';
import { createAgreementAccumulator, describeAlpha, type AgreementReport } from '../stats';

export type AlphaReading = { ordinal: number | null; interval: number | null; reading: string };

function reading(report: AgreementReport): AlphaReading {
	const ordinal = report.alpha.get('ordinal') ?? null;
	return {
		ordinal,
		interval: report.alpha.get('interval') ?? null,
		reading: describeAlpha(ordinal)
	};
}

/** The first is the one leave-one-out uses. */
export const METRICS = ['ordinal', 'interval'] as const;

export type BatchAgreement = ReturnType<typeof agreementFigures>;

/** Items per query: small enough that the server can answer others between them. */
const ITEMS_PER_STEP = 5_000;

/**
 * How far the reviewers of a batch agree on their scores: Krippendorff's alpha (ordinal and
 * interval) over every scored response, for the batch and per trait, and per reviewer the
 * alpha of everyone else (leave-one-out). Each response of an item is one unit.
 *
 * A large batch holds millions of scores, so they stream in item order, a range of items at a
 * time, straight into the tallies: nothing is grouped in memory.
 */
export function batchAgreement(db: Pick<AppDB, '$client'>, batchId: number): BatchAgreement {
	const steps = agreementSteps(db.$client, batchId);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/** The same, letting the server answer other requests between ranges of items. */
export async function batchAgreementAsync(
	db: Pick<AppDB, '$client'>,
	batchId: number
): Promise<BatchAgreement> {
	const steps = agreementSteps(db.$client, batchId);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
		await nextTurn();
	}
}

/**
 * The alpha of the items it is given, which must be every item of a batch: what an export's
 * dataset card shows, counted from the items the export reads anyway rather than by a second
 * read of the batch. Without the per-trait and leave-one-out figures, it is the same alpha as
 * `batchAgreement`'s overall one.
 */
export function createBatchAlpha() {
	const accumulator = createAgreementAccumulator(METRICS);
	return {
		addItem(item: Pick<ItemRecord, 'reviews'>): void {
			const scores: [number, number, number][] = [];
			for (const review of item.reviews) {
				for (const [response, score] of Object.entries(review.scores)) {
					scores.push([Number(response), review.userId, score]);
				}
			}
			addItemUnits(scores, (coders, values) => accumulator.addUnit(coders, values));
		},
		result: (): AlphaReading => reading(accumulator.result())
	};
}

/**
 * One item's scores, [response, reviewer, score], as units: each response of an item is one
 * unit, its reviewers in the order given.
 */
function addItemUnits(
	scores: [number, number, number][],
	addUnit: (coders: number[], values: number[]) => void
): void {
	scores.sort((a, b) => a[0] - b[0]);
	for (let i = 0; i < scores.length;) {
		let j = i;
		while (j < scores.length && scores[j][0] === scores[i][0]) j++;
		const unit = scores.slice(i, j);
		addUnit(
			unit.map((s) => s[1]),
			unit.map((s) => s[2])
		);
		i = j;
	}
}

function* agreementSteps(
	client: Database.Database,
	batchId: number
): Generator<void, BatchAgreement> {
	const traitRows = statement(
		client,
		`SELECT t.id, t.key FROM traits t WHERE t.id IN (SELECT DISTINCT trait_id FROM items WHERE batch_id = ?)`
	)
		.raw()
		.all(batchId) as [number, string][];
	const overall = createAgreementAccumulator(METRICS, { leaveOneOut: true });
	const byTrait = new Map(
		traitRows.map(([id]) => [id, createAgreementAccumulator(METRICS)] as const)
	);
	const perTrait = byTrait.size > 1;
	let ratings = 0;
	const ratedTraits = new Set<number>();

	// One item's scores: [response, reviewer, score] in arrival order.
	let trait = -1;
	let scores: [number, number, number][] = [];
	const flush = () => {
		addItemUnits(scores, (coders, values) => {
			overall.addUnit(coders, values);
			if (perTrait) byTrait.get(trait)?.addUnit(coders, values);
		});
		ratedTraits.add(trait);
		scores = [];
	};

	const bounds = statement(
		client,
		`SELECT min(id) AS low, max(id) AS high FROM items WHERE batch_id = ?`
	).get(batchId) as { low: number | null; high: number | null };
	// The item index walks each range in item order; `+r.batch_id` keeps SQLite off the batch
	// index, which would read the whole batch for every range.
	const range = statement(
		client,
		`SELECT r.item_id, i.trait_id, rr.response_id, r.user_id, rr.score
		   FROM reviews r
		   JOIN items i ON i.id = r.item_id
		   JOIN review_responses rr ON rr.review_id = r.id
		  WHERE r.item_id BETWEEN ? AND ? AND +r.batch_id = ? AND +r.status = 'submitted'
		    AND rr.score IS NOT NULL
		  ORDER BY r.item_id`
	).raw();
	for (let low = bounds.low ?? 1; bounds.high !== null && low <= bounds.high;) {
		const high = low + ITEMS_PER_STEP - 1;
		let item = -1;
		// Iterated, not gathered: a range's rows are never all in memory at once.
		const rows = range.iterate(low, high, batchId) as IterableIterator<
			[number, number, number, number, number]
		>;
		for (const [itemId, traitId, response, reviewer, score] of rows) {
			if (itemId !== item) {
				if (scores.length) flush();
				item = itemId;
				trait = traitId;
			}
			scores.push([response, reviewer, score]);
			ratings += 1;
		}
		if (scores.length) flush();
		low = high + 1;
		yield;
	}
	const report = overall.result();
	return agreementFigures(report, ratings, ratedTraits, new Map(traitRows), (traitId) =>
		// One trait: its figures are the batch's.
		perTrait ? byTrait.get(traitId)!.result() : report
	);
}

/**
 * The figures from the batch's report, its number of scores, its traits with scores in the
 * order they first appear (by item), their keys, and each one's report.
 */
export function agreementFigures(
	report: AgreementReport,
	ratings: number,
	ratedTraits: Iterable<number>,
	keys: Map<number, string>,
	traitReport: (traitId: number) => AgreementReport
) {
	return {
		ratings,
		overall: reading(report),
		byTrait: [...ratedTraits].map((traitId) => ({
			traitId,
			key: keys.get(traitId) ?? String(traitId),
			...reading(traitReport(traitId))
		})),
		/** Alpha without each reviewer: a value well above the overall one marks an outlier. */
		withoutReviewer: [...report.withoutCoder.entries()].map(([userId, alpha]) => ({
			userId: Number(userId),
			alpha
		}))
	};
}

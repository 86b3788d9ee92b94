import type { AppDB } from './db';
import { statement } from './db/statements';
import { createAgreementAccumulator, describeAlpha, type AgreementReport } from './stats';

export type AlphaReading = { ordinal: number | null; interval: number | null; reading: string };

function reading(report: AgreementReport): AlphaReading {
	const ordinal = report.alpha.get('ordinal') ?? null;
	return {
		ordinal,
		interval: report.alpha.get('interval') ?? null,
		reading: describeAlpha(ordinal)
	};
}

const METRICS = ['ordinal', 'interval'] as const;

/**
 * How far the reviewers of a batch agree on their scores: Krippendorff's alpha (ordinal and
 * interval) over every scored response, for the batch and per trait, and per reviewer the
 * alpha of everyone else (leave-one-out). Each response of an item is one unit.
 *
 * A large batch holds millions of scores, so they stream from one query in item order and go
 * straight into the tallies, one item at a time: nothing is grouped in memory.
 */
export function batchAgreement(db: Pick<AppDB, '$client'>, batchId: number) {
	const client = db.$client;
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
	let item = -1;
	let trait = -1;
	let scores: [number, number, number][] = [];
	const flush = () => {
		scores.sort((a, b) => a[0] - b[0]);
		for (let i = 0; i < scores.length;) {
			let j = i;
			while (j < scores.length && scores[j][0] === scores[i][0]) j++;
			const unit = scores.slice(i, j);
			const coders = unit.map((s) => s[1]);
			const values = unit.map((s) => s[2]);
			overall.addUnit(coders, values);
			if (perTrait) byTrait.get(trait)?.addUnit(coders, values);
			i = j;
		}
		ratedTraits.add(trait);
		scores = [];
	};
	const rows = statement(
		client,
		`SELECT r.item_id, i.trait_id, rr.response_id, r.user_id, rr.score
		   FROM reviews r
		   JOIN items i ON i.id = r.item_id
		   JOIN review_responses rr ON rr.review_id = r.id
		  WHERE r.batch_id = ? AND r.status = 'submitted' AND rr.score IS NOT NULL
		  ORDER BY r.item_id`
	)
		.raw()
		.iterate(batchId) as IterableIterator<[number, number, number, number, number]>;
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

	const report = overall.result();
	const keys = new Map(traitRows);
	return {
		ratings,
		overall: reading(report),
		byTrait: [...ratedTraits].map((traitId) => ({
			traitId,
			key: keys.get(traitId) ?? String(traitId),
			// One trait: its figures are the batch's.
			...reading(perTrait ? byTrait.get(traitId)!.result() : report)
		})),
		/** Alpha without each reviewer: a value well above the overall one marks an outlier. */
		withoutReviewer: [...report.withoutCoder.entries()].map(([userId, alpha]) => ({
			userId: Number(userId),
			alpha
		}))
	};
}

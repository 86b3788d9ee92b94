// A batch for the Judge and position page: items whose responses carry an AI judge's ranks and
// the order the judge saw them in, and reviews whose shown orders are known, so that a position
// bias can be planted in the judge or in a reviewer.
import { eq } from 'drizzle-orm';
import { mulberry32, shuffle } from '../../src/lib/prng';
import type { AppDB } from '../../src/lib/server/db';
import { reviews } from '../../src/lib/server/db/schema';
import { makeAssignment, makeBatch, makeItem, makeReview, makeTrait, makeUser } from './factories';

/** An item as a ranker sees it: its index in the batch, its size, and the positions as shown. */
export type Shown = { index: number; responses: number; shown: number[] };
/** Response positions (0 = first in the file), best first. */
export type Ranker = (item: Shown) => number[];

const positions = (k: number) => Array.from({ length: k }, (_, p) => p);

/** Ranks by quality, which the file's order is: the first response is the best. */
export const BY_QUALITY: Ranker = ({ responses }) => positions(responses);

/** Always puts the response it was shown first on top, the rest by quality. */
export const FIRST_SHOWN: Ranker = ({ responses, shown }) => [
	shown[0],
	...positions(responses).filter((p) => p !== shown[0])
];

/** By quality, except every fifth item (0, 5, 10, …), which it ranks the other way round. */
export const REVERSED_EVERY_FIFTH: Ranker = ({ index, responses }) =>
	index % 5 === 0 ? positions(responses).reverse() : positions(responses);

export type JudgeBatchOptions = {
	items?: number;
	/** Responses per item; 3 unless given. */
	responses?: (index: number) => number;
	judge?: Ranker;
	/** One ranker per reviewer; every reviewer reviews every item. */
	reviewers?: Ranker[];
	/** Leave out the judge's shown order. */
	withoutJudgeOrder?: boolean;
	seed?: number;
};

/** The batch (open), its lead, reviewers in account order, and its items in file order. */
export async function buildJudgeBatch(db: AppDB, options: JudgeBatchOptions = {}) {
	const { items = 40, judge = BY_QUALITY, reviewers: rankers = [BY_QUALITY, BY_QUALITY] } = options;
	const random = mulberry32(options.seed ?? 11);
	const lead = await makeUser(db, { role: 'lead' });
	const reviewers: Awaited<ReturnType<typeof makeUser>>[] = [];
	for (let r = 0; r < rankers.length; r++) reviewers.push(await makeUser(db));
	const batch = makeBatch(db, {
		name: `judge-batch-${lead.id}`,
		status: 'open',
		openedAt: new Date(),
		createdBy: lead.id,
		overlap: Math.max(1, rankers.length)
	});
	for (const reviewer of reviewers) makeAssignment(db, batch.id, reviewer.id);
	const trait = makeTrait(db, batch.constitutionId, { key: 'warmth' });

	const itemIds: number[] = [];
	for (let index = 0; index < items; index++) {
		const k = options.responses?.(index) ?? 3;
		const judgeShown = shuffle(positions(k), random);
		const judgeOrder = judge({ index, responses: k, shown: judgeShown });
		const rows = makeItem(db, batch.id, trait, {
			externalId: `j${index + 1}`,
			prompt: `Judge prompt ${index + 1}: I burnt the dinner.`,
			metadata: options.withoutJudgeOrder ? undefined : { judge_shown_order: judgeShown },
			responses: positions(k).map((p) => ({
				content: `Answer ${p + 1} to prompt ${index + 1}.`,
				aiRank: judgeOrder.indexOf(p) + 1
			}))
		});
		itemIds.push(rows.item.id);
		rankers.forEach((ranker, r) => {
			const shown = shuffle(positions(k), random);
			const place = ranker({ index, responses: k, shown });
			const review = makeReview(db, rows, reviewers[r].id, {
				scores: positions(k).map((p) => 7 - 2 * place.indexOf(p)),
				ranks: positions(k).map((p) => place.indexOf(p) + 1)
			});
			db.update(reviews)
				.set({ shownOrder: shown.map((p) => rows.responses[p].id) })
				.where(eq(reviews.id, review.id))
				.run();
		});
	}
	return { batchId: batch.id, lead, reviewers, itemIds };
}

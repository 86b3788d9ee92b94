import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { makeBatchFromJsonl } from '../../../../tests/support/fixture-batch';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { openBatch } from '../batches';
import type { AppDB } from '../db';
import { adjudications, items, responses } from '../db/schema';
import {
	batchDashboard,
	batchProgress,
	itemMeasures,
	listBatchProgress,
	listResearcherProgress,
	reviewsOverTime,
	timeSpent
} from './index';
import { saveDraft, skipItem, submitReview } from '../../../../tests/support/review-batches';
import { assignResearcher } from '../reviews';

/**
 * Four items, two traits, overlap 2:
 * - w1 (warmth): AI ranks A 1, B 2, C 3; A is GOOD, C is BAD.
 * - w2 (warmth): AI scores A 2, B 8; A is GOOD, B is BAD.
 * - c1 (curiosity): AI scores A 1, B 5, C 9 (the AI prefers C).
 * - c2 (curiosity): no AI judgement, no reference.
 */
const LINES = [
	{
		id: 'w1',
		trait: 'warmth',
		prompt: 'I failed my driving test.',
		responses: [
			{ content: 'A', ai_rank: 1, reference: { label: 'good' } },
			{ content: 'B', ai_rank: 2 },
			{ content: 'C', ai_rank: 3, reference: { label: 'bad' } }
		]
	},
	{
		id: 'w2',
		trait: 'warmth',
		prompt: 'My cat died.',
		responses: [
			{ content: 'A', ai_score: 2, reference: { label: 'good' } },
			{ content: 'B', ai_score: 8, reference: { label: 'bad' } }
		]
	},
	{
		id: 'c1',
		trait: 'curiosity',
		prompt: 'Why is the sky blue?',
		responses: [
			{ content: 'A', ai_score: 1 },
			{ content: 'B', ai_score: 5 },
			{ content: 'C', ai_score: 9 }
		]
	},
	{
		id: 'c2',
		trait: 'curiosity',
		prompt: 'How do magnets work?',
		responses: [{ content: 'A' }, { content: 'B' }]
	}
];

async function buildBatch(db: AppDB) {
	const lead = await makeUser(db, { role: 'lead' });
	const lines = LINES.map((line) => JSON.stringify(line)).join('\n');
	const batchId = makeBatchFromJsonl(db, lines, {
		name: `dashboard-${lead.id}`,
		createdBy: lead.id,
		overlap: 2
	}).batch.id;
	openBatch(db, lead.id, batchId);
	const researchers: Awaited<ReturnType<typeof makeUser>>[] = [];
	for (let r = 0; r < 3; r++) {
		const user = await makeUser(db, { role: 'researcher' });
		assignResearcher(db, lead.id, batchId, user.id, null);
		researchers.push(user);
	}

	const itemId = (externalId: string) =>
		db
			.select()
			.from(items)
			.where(eq(items.externalId, externalId))
			.all()
			.find((i) => i.batchId === batchId)!.id;
	/** Response ids of an item by letter, in import order. */
	const ids = (externalId: string) =>
		db
			.select({ id: responses.id })
			.from(responses)
			.where(eq(responses.itemId, itemId(externalId)))
			.orderBy(asc(responses.position))
			.all()
			.map((r) => r.id);
	const review = (
		who: number,
		externalId: string,
		scores: number[],
		ranks: number[],
		at: string,
		seconds: number
	) => {
		const rs = ids(externalId);
		submitReview(
			db,
			researchers[who].id,
			itemId(externalId),
			{
				scores: Object.fromEntries(rs.map((id, i) => [id, scores[i]])),
				ranks: Object.fromEntries(rs.map((id, i) => [id, ranks[i]])),
				timeSpentMs: seconds * 1000
			},
			new Date(at)
		);
	};

	// w1: humans put B first (B › A › C); the AI put A first.
	review(0, 'w1', [5, 6, 2], [2, 1, 3], '2024-03-01T10:00:00Z', 10);
	review(1, 'w1', [5, 7, 1], [2, 1, 3], '2024-03-01T23:59:00Z', 45);
	// w2: humans put B (BAD) above A (GOOD), as the AI did; their rankings are opposite (W = 0).
	review(0, 'w2', [3, 5], [2, 1], '2024-03-03T08:00:00Z', 90);
	review(1, 'w2', [4, 4], [1, 2], '2024-03-03T09:00:00Z', 90);
	// c1: humans A › B › C, the exact reverse of the AI.
	review(0, 'c1', [7, 4, 1], [1, 2, 3], '2024-03-03T10:00:00Z', 200);
	review(2, 'c1', [6, 5, 2], [1, 2, 3], '2024-03-04T10:00:00Z', 700);
	review(1, 'c2', [4, 4], [1, 1], '2024-03-04T11:00:00Z', 4000);
	// A draft and a skip: neither counts as progress.
	saveDraft(db, researchers[0].id, itemId('c2'), { scores: {} });
	skipItem(db, researchers[2].id, itemId('w1'), 'Not my field');
	// A quota set afterwards, below what they have done: the queue holds it from then on.
	assignResearcher(db, lead.id, batchId, researchers[2].id, 1);

	return { batchId, researchers, itemId, ids };
}

describe('progress', () => {
	it('counts submitted reviews against items × overlap, per batch and per trait', async () => {
		const db = createTestDb();
		const { batchId } = await buildBatch(db);
		const progress = batchProgress(db, batchId);
		expect(progress).toMatchObject({ items: 4, done: 7, wanted: 8 });
		expect(progress.byTrait).toEqual([
			expect.objectContaining({ key: 'curiosity', items: 2, done: 3, wanted: 4 }),
			expect.objectContaining({ key: 'warmth', items: 2, done: 4, wanted: 4 })
		]);
		const row = listBatchProgress(db).find((b) => b.id === batchId);
		expect(row).toMatchObject({ items: 4, done: 7, wanted: 8, researchers: 3, overlap: 2 });
	});

	it('gives each researcher their quota, or an even share of what the quotas leave', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await buildBatch(db);
		// 8 wanted − 1 by quota = 7 between two researchers: 4 each (3.5 rounded up).
		expect(listResearcherProgress(db, batchId)).toEqual([
			{ userId: researchers[0].id, submitted: 3, skipped: 0, drafts: 1, quota: null, target: 4 },
			{ userId: researchers[1].id, submitted: 3, skipped: 0, drafts: 0, quota: null, target: 4 },
			{ userId: researchers[2].id, submitted: 1, skipped: 1, drafts: 0, quota: 1, target: 1 }
		]);
	});

	it('counts reviews per UTC day, with the empty days in between', async () => {
		const db = createTestDb();
		const { batchId } = await buildBatch(db);
		expect(reviewsOverTime(db, batchId)).toEqual({
			unit: 'day',
			total: 7,
			buckets: [
				{ start: '2024-03-01', reviews: 2 },
				{ start: '2024-03-02', reviews: 0 },
				{ start: '2024-03-03', reviews: 3 },
				{ start: '2024-03-04', reviews: 2 }
			]
		});
	});

	it('counts per week, from Monday, over a long span', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, { researchers: 1 });
		const itemIds = db
			.select({ id: items.id })
			.from(items)
			.where(eq(items.batchId, batchId))
			.all()
			.map((i) => i.id);
		const dates = ['2024-01-03T12:00:00Z', '2024-01-07T12:00:00Z', '2024-04-10T12:00:00Z'];
		itemIds.forEach((itemId, i) => {
			const rs = db.select().from(responses).where(eq(responses.itemId, itemId)).all();
			submitReview(
				db,
				researchers[0].id,
				itemId,
				{
					scores: Object.fromEntries(rs.map((r) => [r.id, 4])),
					ranks: Object.fromEntries(rs.map((r) => [r.id, 1]))
				},
				new Date(dates[i])
			);
		});
		const result = reviewsOverTime(db, batchId);
		expect(result.unit).toBe('week');
		expect(result.total).toBe(3);
		// Monday 1 January to Monday 8 April 2024: 15 weeks.
		expect(result.buckets).toHaveLength(15);
		expect(result.buckets[0]).toEqual({ start: '2024-01-01', reviews: 2 });
		expect(result.buckets[14]).toEqual({ start: '2024-04-08', reviews: 1 });
		expect(result.buckets.slice(1, 14).every((b) => b.reviews === 0)).toBe(true);
	});

	it('bins the time spent per review and reads its median and 90th percentile', async () => {
		const db = createTestDb();
		const { batchId } = await buildBatch(db);
		const result = timeSpent(db, batchId);
		expect(result.reviews).toBe(7);
		expect(result.bins.map((b) => [b.label, b.reviews])).toEqual([
			['under 30 s', 1],
			['30 s – 1 min', 1],
			['1 min – 2 min', 2],
			['2 min – 5 min', 1],
			['5 min – 10 min', 0],
			['10 min – 20 min', 1],
			['20 min – 60 min', 0],
			['60 min or more', 1]
		]);
		// 10, 45, 90, 90, 200, 700, 4000 s.
		expect(result.medianMs).toBe(90_000);
		expect(result.p90Ms).toBe(4_000_000);
	});

	it('has nothing to show before any review', async () => {
		const db = createTestDb();
		const { batchId } = await openBatchWithResearchers(db);
		expect(timeSpent(db, batchId)).toMatchObject({ reviews: 0, medianMs: null, p90Ms: null });
		expect(reviewsOverTime(db, batchId)).toEqual({ unit: 'day', buckets: [], total: 0 });
		expect(await itemMeasures(db, batchId)).toMatchObject({
			concordance: { mean: null, items: 0 },
			humanVsAi: { itemsWithAi: 2, overall: { mean: null, items: 0 }, disagreements: [] },
			reference: { items: 0, pairs: 0, rate: null }
		});
	});
});

describe('item measures', () => {
	it('averages Kendall W over the items ranked fully by two reviewers', async () => {
		const db = createTestDb();
		const { batchId } = await buildBatch(db);
		const { concordance } = await itemMeasures(db, batchId);
		// w1: 1, w2: 0, c1: 1; c2 has one reviewer.
		expect(concordance.items).toBe(3);
		expect(concordance.mean).toBeCloseTo(2 / 3, 9);
		expect(concordance.byTrait).toEqual([
			{ key: 'curiosity', mean: 1, items: 1 },
			{ key: 'warmth', mean: 0.5, items: 2 }
		]);
	});

	it('compares the AI order with the human consensus and lists the worst items first', async () => {
		const db = createTestDb();
		const { batchId, itemId } = await buildBatch(db);
		const { humanVsAi } = await itemMeasures(db, batchId);
		// w1: 1/3 (one of three pairs swapped); w2: 1; c1: −1 (reversed).
		expect(humanVsAi.itemsWithAi).toBe(3);
		expect(humanVsAi.overall.items).toBe(3);
		expect(humanVsAi.overall.mean).toBeCloseTo(1 / 9, 9);
		expect(humanVsAi.byTrait.map((t) => [t.key, t.items])).toEqual([
			['curiosity', 1],
			['warmth', 2]
		]);
		expect(humanVsAi.byTrait[0].mean).toBeCloseTo(-1, 9);
		expect(humanVsAi.byTrait[1].mean).toBeCloseTo(2 / 3, 9);
		expect(humanVsAi.disagreements).toEqual([
			{
				itemId: itemId('c1'),
				externalId: 'c1',
				traitKey: 'curiosity',
				tau: -1,
				reviews: 2,
				adjudicated: false,
				aiOrder: 'C › B › A',
				humanOrder: 'A › B › C'
			},
			expect.objectContaining({
				externalId: 'w1',
				aiOrder: 'A › B › C',
				humanOrder: 'B › A › C'
			})
		]);
		expect(humanVsAi.disagreements[1].tau).toBeCloseTo(1 / 3, 9);
		expect(
			(await itemMeasures(db, batchId, 1)).humanVsAi.disagreements.map((d) => d.externalId)
		).toEqual(['c1']);
	});

	it('counts how often the consensus puts a GOOD response above a BAD one', async () => {
		const db = createTestDb();
		const { batchId } = await buildBatch(db);
		const { reference } = await itemMeasures(db, batchId);
		// w1: A (GOOD) second, C (BAD) last: above. w2: B (BAD) first: below.
		expect(reference).toMatchObject({ items: 2, pairs: 2, above: 1, tied: 0, below: 1, rate: 0.5 });
		expect(reference.byTrait).toEqual([
			{ key: 'warmth', items: 2, pairs: 2, above: 1, tied: 0, below: 1, rate: 0.5 }
		]);
	});

	it('follows adjudications: a decided order replaces the consensus, an excluded item drops out', async () => {
		const db = createTestDb();
		const { batchId, itemId, ids } = await buildBatch(db);
		const [a, b, c] = ids('w1');
		const [wa, wb] = ids('w2');
		db.insert(adjudications)
			.values([
				{
					itemId: itemId('w1'),
					batchId,
					decision: 'order',
					finalOrder: [[a], [b], [c]],
					note: 'A is warmer',
					decidedAt: new Date()
				},
				{
					itemId: itemId('w2'),
					batchId,
					decision: 'order',
					finalOrder: [[wa, wb]],
					note: 'as good as each other',
					decidedAt: new Date()
				},
				{
					itemId: itemId('c1'),
					batchId,
					decision: 'exclude',
					finalOrder: null,
					note: 'off topic',
					decidedAt: new Date()
				}
			])
			.run();
		const { humanVsAi, reference, concordance } = await itemMeasures(db, batchId);
		// w1 now matches the AI (1); w2 is a tie, where tau is undefined; c1 is out.
		expect(humanVsAi.overall).toEqual({ mean: 1, items: 1 });
		expect(humanVsAi.disagreements).toEqual([]);
		expect(reference).toMatchObject({ items: 2, pairs: 2, above: 1, tied: 1, below: 0, rate: 0.5 });
		// Concordance describes the reviewers, whatever the adjudicator decided.
		expect(concordance.items).toBe(3);
	});
});

describe('batchDashboard', () => {
	it('shows leads pseudonyms, the same in progress and agreement, and admins usernames', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await buildBatch(db);
		const forLead = await batchDashboard(db, batchId, { showNames: false });
		expect(forLead.researchers.map((r) => [r.reviewer, r.submitted])).toEqual([
			['Reviewer 1', 3],
			['Reviewer 2', 3],
			['Reviewer 3', 1]
		]);
		expect(forLead.agreement.withoutReviewer.map((w) => w.reviewer)).toEqual([
			'Reviewer 1',
			'Reviewer 2',
			'Reviewer 3'
		]);
		expect(JSON.stringify(forLead)).not.toContain(researchers[0].username);
		expect(forLead.agreement.concordance.reading).toBe(
			"W = 0.667: moderate — reviewers' rankings broadly agree."
		);
		expect(forLead.humanVsAi.reading).toBe("τ = 0.111: the human order is unrelated to the AI's.");
		expect(forLead.reference.reading).toBe(
			'GOOD above BAD in 50.0% of pairs: reviewers and the reference often disagree.'
		);

		const forAdmin = await batchDashboard(db, batchId, { showNames: true });
		expect(forAdmin.researchers.map((r) => r.reviewer)).toEqual(researchers.map((r) => r.username));
	});
});

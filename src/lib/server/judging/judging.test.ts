import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import {
	BY_QUALITY,
	buildJudgeBatch,
	FIRST_SHOWN,
	REVERSED_EVERY_FIFTH
} from '../../../../tests/support/judge-fixture';
import { makeUser } from '../../../../tests/support/factories';
import { listDisagreements } from '../adjudication';
import type { AppDB } from '../db';
import { auditEvents, exportBatches, exports, items } from '../db/schema';
import { DomainError } from '../errors';
import { batchJudging, collectJudging, sendToAdjudication } from '.';

let db: AppDB;
beforeEach(() => {
	db = createTestDb();
});

describe('judge calibration', () => {
	it('averages tau-b per item against the consensus, with a seeded bootstrap interval', async () => {
		// Both reviewers keep the judge's order except on every fifth item, which they reverse:
		// tau is 1 on 32 items and -1 on 8, so the mean is (32 - 8) / 40 = 0.6.
		const { batchId } = await buildJudgeBatch(db, {
			reviewers: [REVERSED_EVERY_FIFTH, REVERSED_EVERY_FIFTH]
		});
		const figures = await collectJudging(db, batchId);
		const { overall, byTrait, reviewers, disagreements } = figures.calibration;
		expect(figures.itemsWithJudge).toBe(40);
		expect(overall.n).toBe(40);
		expect(overall.mean).toBeCloseTo(0.6, 12);
		expect(overall.lower!).toBeLessThan(0.6);
		expect(overall.upper!).toBeGreaterThan(0.6);
		expect(overall.upper!).toBeLessThanOrEqual(1);
		// The same batch always gives the same interval.
		expect((await collectJudging(db, batchId)).calibration.overall).toEqual(overall);
		expect(byTrait).toEqual([{ key: 'warmth', interval: overall }]);
		expect(reviewers.map((r) => [r.items, r.mean])).toEqual([
			[40, expect.closeTo(0.6, 12)],
			[40, expect.closeTo(0.6, 12)]
		]);
		// The eight reversed items, lowest tau (and then item) first.
		expect(disagreements.map((d) => d.externalId)).toEqual([
			'j1',
			'j6',
			'j11',
			'j16',
			'j21',
			'j26',
			'j31',
			'j36'
		]);
		expect(disagreements[0]).toMatchObject({
			tau: -1,
			judgeOrder: 'A › B › C',
			humanOrder: 'C › B › A',
			reviews: 2,
			decision: null
		});
	});

	it('says too few to judge below ten items, and names reviewers for the viewer', async () => {
		const { batchId, reviewers } = await buildJudgeBatch(db, { items: 9 });
		const lead = await batchJudging(db, batchId, { showNames: false });
		expect(lead.calibration.overall).toMatchObject({ items: 9, enough: false, mean: null });
		expect(lead.calibration.overall.reading).toMatch(/^Too few to judge: 9 items/);
		expect(lead.calibration.reviewers.map((r) => r.reviewer)).toEqual(['Reviewer 1', 'Reviewer 2']);
		expect(JSON.stringify(lead)).not.toContain(reviewers[0].username);
		const admin = await batchJudging(db, batchId, { showNames: true });
		expect(admin.position.byReviewer.map((r) => r.reviewer)).toEqual(
			reviewers.map((r) => r.username)
		);
	});

	it('has nothing to compare when no response carries an AI judgement', async () => {
		const { batchId } = await buildJudgeBatch(db, { items: 3 });
		db.$client.prepare('UPDATE responses SET ai_rank = NULL').run();
		const figures = await collectJudging(db, batchId);
		expect(figures.itemsWithJudge).toBe(0);
		expect(figures.calibration.overall).toMatchObject({ mean: null, n: 0 });
	});
});

describe('position bias', () => {
	it('catches a judge that always ranks the first-shown response top, not a fair one', async () => {
		const biased = await buildJudgeBatch(db, { judge: FIRST_SHOWN });
		const judge = (await collectJudging(db, biased.batchId)).position.judge!;
		expect(judge).toMatchObject({ trials: 40, wins: 40, rate: 1 });
		expect(judge.test!.pValue).toBeLessThan(0.01);
		const page = await batchJudging(db, biased.batchId, { showNames: false });
		expect(page.position.judge!.verdict).toBe('favours the response shown first');

		const fair = await buildJudgeBatch(db, { judge: BY_QUALITY });
		const fairJudge = (await collectJudging(db, fair.batchId)).position.judge!;
		expect(fairJudge.trials).toBe(40);
		expect(fairJudge.test!.pValue).toBeGreaterThan(0.01);
	});

	it('catches a reviewer with a planted bias, not the fair one beside them', async () => {
		const { batchId } = await buildJudgeBatch(db, { reviewers: [FIRST_SHOWN, BY_QUALITY] });
		const { byReviewer, reviewers } = (await collectJudging(db, batchId)).position;
		const [biased, fair] = byReviewer.map((r) => r.bias);
		expect(biased).toMatchObject({ trials: 40, wins: 40 });
		expect(biased.test!.pValue).toBeLessThan(0.01);
		expect(fair.trials).toBe(40);
		expect(fair.test!.pValue).toBeGreaterThan(0.01);
		expect(reviewers.trials).toBe(80);
	});

	it('skips reviews whose shown order is unknown (imported), and says how many', async () => {
		const { batchId, reviewers } = await buildJudgeBatch(db, {
			reviewers: [FIRST_SHOWN, BY_QUALITY]
		});
		// What a reviews import stores: the order the biased reviewer was shown is unknown.
		db.$client
			.prepare(`UPDATE reviews SET shown_order = '[]' WHERE user_id = ?`)
			.run(reviewers[0].id);
		const { position } = await collectJudging(db, batchId);
		expect(position.reviewers).toMatchObject({ trials: 40, unknownOrder: 40, incomplete: 0 });
		expect(position.reviewers.test!.pValue).toBeGreaterThan(0.01);
		expect(position.byReviewer.map((r) => [r.userId, r.bias.unknownOrder])).toEqual([
			[reviewers[1].id, 0]
		]);
		const page = (await batchJudging(db, batchId, { showNames: true })).position;
		expect(page.reviewers.unknownOrder).toBe(40);
		expect(page.reviewers.reading).toMatch(
			/40 imported reviews are not counted: the order they were shown in is unknown\.$/
		);
	});

	it('tests items of two and three responses against the mean of 1/k', async () => {
		const { batchId } = await buildJudgeBatch(db, {
			responses: (i) => 2 + (i % 2),
			reviewers: [FIRST_SHOWN]
		});
		const bias = (await collectJudging(db, batchId)).position.byReviewer[0].bias;
		expect(bias.chance).toBeCloseTo((20 / 2 + 20 / 3) / 40, 12);
		expect(bias.test!.pValue).toBeCloseTo(2 ** -20 * 3 ** -20, 25);
	});

	it('says too few to judge below twenty reviews, and leaves out a tied top', async () => {
		const { batchId } = await buildJudgeBatch(db, { items: 12, reviewers: [BY_QUALITY] });
		// One review ties its top two responses.
		db.$client
			.prepare(
				`UPDATE review_responses SET rank = 1 WHERE rank = 2 AND review_id = (SELECT min(id) FROM reviews)`
			)
			.run();
		const page = await batchJudging(db, batchId, { showNames: false });
		expect(page.position.reviewers).toMatchObject({ trials: 11, tiedTop: 1, pValue: null });
		expect(page.position.reviewers.verdict).toBe('too few to judge');
		expect(page.position.reviewers.reading).toMatch(/^Too few to judge: 11 judgements/);
	});

	it('has no judge row without a shown order, and counts one it cannot read', async () => {
		const without = await buildJudgeBatch(db, { items: 3, withoutJudgeOrder: true });
		expect((await collectJudging(db, without.batchId)).position.judge).toBeNull();

		const { batchId, itemIds } = await buildJudgeBatch(db, { items: 3 });
		db.update(items)
			.set({ metadata: { judge_shown_order: [0, 0, 1] } })
			.where(eq(items.id, itemIds[0]))
			.run();
		const { position } = await collectJudging(db, batchId);
		expect(position.judgeShownOrder).toEqual({ items: 3, unreadable: 1 });
		expect(position.judge!.trials + position.judge!.tiedTop).toBe(2);
	});
});

describe('sending an item to adjudication', () => {
	it('puts it first on the disagreement list, even with one review, and audits it', async () => {
		const { batchId, lead, itemIds } = await buildJudgeBatch(db, {
			items: 3,
			reviewers: [BY_QUALITY]
		});
		expect((await listDisagreements(db, batchId)).total).toBe(0);
		const sent = sendToAdjudication(db, lead.id, batchId, itemIds[1]);
		expect(sent).toEqual({ externalId: 'j2', alreadyListed: false });
		const list = await listDisagreements(db, batchId);
		expect(list.rows.map((r) => [r.externalId, r.flagged, r.reviews])).toEqual([['j2', true, 1]]);
		expect(sendToAdjudication(db, lead.id, batchId, itemIds[1]).alreadyListed).toBe(true);
		const events = db.select().from(auditEvents).where(eq(auditEvents.action, 'adjudication.flag'));
		expect(events.all().map((e) => [e.actorId, e.targetId])).toEqual([
			[lead.id, String(itemIds[1])]
		]);
		const page = await batchJudging(db, batchId, { showNames: false });
		expect(page.calibration.disagreements).toEqual([]);
	});

	it('lists sent items before more disputed ones until they are decided', async () => {
		const { batchId, lead, itemIds } = await buildJudgeBatch(db, {
			items: 10,
			reviewers: [BY_QUALITY, REVERSED_EVERY_FIFTH]
		});
		const before = await listDisagreements(db, batchId);
		expect(before.rows.map((r) => r.externalId).slice(0, 2)).toEqual(['j1', 'j6']);
		sendToAdjudication(db, lead.id, batchId, itemIds[2]);
		const after = await listDisagreements(db, batchId);
		expect(after.rows.map((r) => r.externalId).slice(0, 3)).toEqual(['j3', 'j1', 'j6']);
		expect(after.total).toBe(before.total);
	});

	it('refuses an item of another batch, and any item of an exported batch', async () => {
		const one = await buildJudgeBatch(db, { items: 2 });
		const other = await buildJudgeBatch(db, { items: 2 });
		const refusal = (batchId: number, itemId: number) => {
			try {
				sendToAdjudication(db, one.lead.id, batchId, itemId);
			} catch (e) {
				return e instanceof DomainError ? e.status : e;
			}
			return 'sent';
		};
		expect(refusal(one.batchId, other.itemIds[0])).toBe(404);
		const admin = await makeUser(db, { role: 'admin' });
		const record = db
			.insert(exports)
			.values({
				format: 'trl',
				settings: {},
				rowCount: 0,
				itemsIn: 0,
				itemsOut: {},
				sha256: 'x',
				bytes: 0,
				fileName: 'x.jsonl',
				card: '',
				createdBy: admin.id,
				createdAt: new Date()
			})
			.returning()
			.get();
		db.insert(exportBatches).values({ exportId: record.id, batchId: one.batchId }).run();
		expect(refusal(one.batchId, one.itemIds[0])).toBe(409);
	});
});

import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { assignedResearcher, reviewItems } from '../../../../tests/support/dashboard-reviews';
import { makeUser } from '../../../../tests/support/factories';
import { importGeneratedBatch } from '../../../../tests/support/review-batches';
import { makeBatchFromJsonl } from '../../../../tests/support/fixture-batch';
import { openBatch } from '../batches';
import { readModelPreference } from '../stats';
import { alphaCounts } from './alpha-counts';
import { resamplesFor } from './alpha-intervals';
import {
	batchAlphaIntervals,
	batchDashboard,
	dashboardReadings,
	itemMeasures,
	leaveOneOutReadings
} from './index';

/**
 * The demo's shape in small: 40 items of one trait (2 or 3 responses each, the first GOOD, the
 * others BAD); two reviewers score every item, a third only the first three. Without either
 * full reviewer, the others share just those three items.
 */
async function buildBatch() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, { items: 40, overlap: 3 });
	const ravi = await assignedResearcher(db, lead.id, batchId);
	const sam = await assignedResearcher(db, lead.id, batchId);
	const rosa = await assignedResearcher(db, lead.id, batchId);
	const byLabel = (shift: number) => (r: { referenceLabel: string | null }, i: number) =>
		(r.referenceLabel === 'good' ? 6 : 2) + ((i + shift) % 4 === 0 ? 1 : 0);
	reviewItems(db, ravi.id, itemIds, byLabel(0));
	reviewItems(db, sam.id, itemIds, byLabel(1));
	reviewItems(db, rosa.id, itemIds.slice(0, 3), (r) => (r.referenceLabel === 'good' ? 2 : 6));
	return { db, batchId, itemIds, ravi, sam, rosa };
}

describe('alphaCounts', () => {
	it('counts the responses scored twice or more, and their scores, per trait', async () => {
		const { db, batchId } = await buildBatch();
		// 40 items of 2 or 3 responses: 100 responses, each scored by ravi and sam; the first
		// three items (2, 3, 2 responses) also have rosa's scores: 7 more.
		const counts = alphaCounts(db, batchId);
		expect(counts.overall).toEqual({ units: 100, values: 207 });
		expect([...counts.byTrait.values()]).toEqual([{ units: 100, values: 207 }]);
	});
});

describe('leave-one-out', () => {
	it('counts what each reviewer shares, and what the others share without them', async () => {
		const { db, batchId, ravi, sam, rosa } = await buildBatch();
		const { overlap } = await batchAlphaIntervals(db, batchId);
		expect(overlap).toEqual([
			{ userId: ravi.id, shared: 100, others: { units: 7, values: 14 } },
			{ userId: sam.id, shared: 100, others: { units: 7, values: 14 } },
			{ userId: rosa.id, shared: 7, others: { units: 100, values: 200 } }
		]);
	});

	it('does not blame the full reviewers for what the third lacks', async () => {
		const { db, batchId } = await buildBatch();
		const dashboard = await batchDashboard(db, batchId, { showNames: false });
		const rows = await leaveOneOutReadings(db, batchId, dashboard.agreement, {
			showNames: false
		});
		expect(rows.map((r) => [r.reviewer, r.shared, r.othersUnits])).toEqual([
			['Reviewer 1', 100, 7],
			['Reviewer 2', 100, 7],
			['Reviewer 3', 7, 100]
		]);
		for (const r of rows) {
			expect(r.status.status).toBe('too-few');
			expect(r.change).toBeNull();
		}
	});
});

describe('dashboardReadings', () => {
	it('gives n beside every figure, and judges a trait on enough data', async () => {
		const { db, batchId } = await buildBatch();
		const dashboard = await batchDashboard(db, batchId, { showNames: false });
		const readings = await dashboardReadings(db, batchId, dashboard);
		// One trait with 100 doubly scored responses: judged, and n travels with it.
		expect(readings.alphaByTrait).toHaveLength(1);
		expect(readings.alphaByTrait[0]).toMatchObject({ key: 'warmth', units: 100, values: 207 });
		expect(readings.alphaByTrait[0].status.status).not.toBe('too-few');
		expect(readings.summary.alpha).toMatchObject({ units: 100, values: 207 });
		// 40 items, 2 GOOD–BAD pairs on average: the reference rate is judged.
		expect(readings.summary.reference.status).not.toBe('too-few');
		expect(readings.minimums.bradleyTerryPrior).toBe(1);
	});

	it('says too few to judge for a trait on a couple of items', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, { items: 2, overlap: 2 });
		for (let r = 0; r < 2; r++) {
			const user = await assignedResearcher(db, lead.id, batchId);
			reviewItems(db, user.id, itemIds, (response) => response.position + 1 + r);
		}
		const dashboard = await batchDashboard(db, batchId, { showNames: false });
		const readings = await dashboardReadings(db, batchId, dashboard);
		expect(readings.summary.alpha.ordinal.status).toBe('too-few');
		expect(readings.summary.alpha.ordinal.text).toContain('too few to judge');
		expect(readings.alphaByTrait[0].status.word).toBe('too few');
		expect(readings.summary.concordance.status).toBe('too-few');
	});
});

describe('batchAlphaIntervals', () => {
	it("brackets the batch's alpha, and is kept until the batch changes", async () => {
		const { db, batchId, itemIds, rosa } = await buildBatch();
		const dashboard = await batchDashboard(db, batchId, { showNames: false });
		const first = await batchAlphaIntervals(db, batchId);
		for (const metric of ['ordinal', 'interval'] as const) {
			const { alpha, lower, upper, samples } = first[metric];
			expect(alpha).toBeCloseTo(dashboard.agreement.overall[metric]!, 9);
			expect(lower!).toBeLessThanOrEqual(alpha!);
			expect(upper!).toBeGreaterThanOrEqual(alpha!);
			expect(samples).toBe(1000);
		}
		expect(first.items).toBe(40);
		expect(await batchAlphaIntervals(db, batchId)).toBe(first);
		reviewItems(db, rosa.id, itemIds.slice(3, 4), () => 4);
		expect(await batchAlphaIntervals(db, batchId)).not.toBe(first);
	});

	it('resamples less on large batches, never under 200 times', () => {
		expect(resamplesFor(191)).toBe(1000);
		expect(resamplesFor(40_000)).toBe(500);
		expect(resamplesFor(1_000_000)).toBe(200);
	});
});

describe('trait by model on one item', () => {
	it('counts the items that gave games, and one item is too few to call a preference', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		// One item: model a's three responses against model b's three; an item of one model.
		const lines = [
			{ id: 'ab', trait: 'warmth', responses: ['a', 'a', 'a', 'b', 'b', 'b'] },
			{ id: 'aa', trait: 'warmth', responses: ['a', 'a'] }
		].map(({ id, trait, responses }) =>
			JSON.stringify({
				id,
				trait,
				prompt: `Prompt ${id}`,
				responses: responses.map((model, p) => ({ model, content: `${model} ${p}` }))
			})
		);
		const fixture = makeBatchFromJsonl(db, lines.join('\n'), {
			name: 'models',
			createdBy: lead.id,
			overlap: 1
		});
		const batchId = fixture.batch.id;
		openBatch(db, lead.id, batchId);
		const reviewer = await assignedResearcher(db, lead.id, batchId);
		const itemIds = fixture.items.map((i) => i.item.id);
		// Every a above every b: nine games, all from the first item.
		reviewItems(db, reviewer.id, itemIds, (r) => (r.model === 'a' ? 6 : 2));
		const [warmth] = (await itemMeasures(db, batchId)).byModel;
		expect(warmth).toMatchObject({ key: 'warmth', items: 1, games: 9 });
		const verdict = readModelPreference(warmth);
		expect(verdict.status).toBe('too-few');
		expect(verdict.text).toMatch(/^9 games from 1 item: too few to judge/);
	});
});

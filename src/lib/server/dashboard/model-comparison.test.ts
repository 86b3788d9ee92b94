import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { itemMeasures } from './item-measures';
import type { ResponseRecord } from '../item-records';
import { ModelGames } from './model-comparison';

const response = (id: number, model: string | null): ResponseRecord => ({
	id,
	position: id,
	externalId: null,
	model,
	content: '',
	aiScore: null,
	aiRank: null,
	referenceLabel: null,
	referenceReason: null
});

describe('ModelGames', () => {
	it('counts a game per pair of responses from different models, skipping ties', async () => {
		const games = new ModelGames();
		const responses = [response(1, 'a'), response(2, 'b'), response(3, 'a'), response(4, null)];
		// 1 and 2 tie; 3 is last; 4 has no model.
		games.addItem(
			'warmth',
			responses,
			new Map([
				[1, 1],
				[2, 1],
				[3, 3],
				[4, 4]
			])
		);
		const [warmth] = games.summarise();
		// Only 2 (b) over 3 (a) counts: 1 vs 2 tie, 1 vs 3 same model, 4 has no model.
		expect(warmth.games).toBe(1);
		expect(warmth.models.map((m) => [m.model, m.wins, m.games])).toEqual([
			['b', 1, 1],
			['a', 0, 1]
		]);
	});
});

describe('trait by model on the dashboard', () => {
	it('ranks models per trait by Bradley-Terry strength, with win rates and intervals', async () => {
		const db = createTestDb();
		const fixture = await buildExportBatch(db);
		const byModel = (await itemMeasures(db, fixture.batchId)).byModel;
		expect(byModel.map((t) => [t.key, t.games])).toEqual([
			['curiosity', 3],
			['warmth', 4]
		]);
		const [curiosity, warmth] = byModel;
		// warmth: m1 beat m2 twice and m3 once; m2 beat m3.
		expect(warmth.models.map((m) => [m.model, m.wins, m.games])).toEqual([
			['m1', 3, 3],
			['m2', 1, 3],
			['m3', 0, 2]
		]);
		// curiosity: m1 won two of its three games against m2.
		expect(curiosity.models.map((m) => [m.model, m.wins, m.games])).toEqual([
			['m1', 2, 3],
			['m2', 1, 3]
		]);
		expect(curiosity.models[0].winRate).toBeCloseTo(2 / 3, 10);
		// Two models: the strengths are centred, so they mirror each other.
		expect(curiosity.models[0].strength).toBeCloseTo(-curiosity.models[1].strength, 10);
		for (const m of [...warmth.models, ...curiosity.models]) {
			expect(m.lower).not.toBeNull();
			expect(m.lower!).toBeLessThanOrEqual(m.strength + 1e-9);
			expect(m.upper!).toBeGreaterThanOrEqual(m.strength - 1e-9);
		}
	});
});

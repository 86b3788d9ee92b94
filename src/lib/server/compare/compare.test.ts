import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeCheckpointBatches } from '../../../../tests/support/checkpoint-batches';
import {
	makeBatch,
	makeConstitution,
	makeItem,
	makeReview,
	makeTrait,
	makeUser
} from '../../../../tests/support/factories';
import { adjudicateItem } from '../adjudication';
import type { Comparison } from '../stats';
import { compareTrait } from './figures';
import {
	compareCheckpoints,
	compareDownload,
	gamesOfItem,
	parseCompareQuery,
	readDifference,
	type CompareQuery
} from './index';

const SETTINGS = { samples: 300, seed: 1, level: 0.95 };
const query = (batchIds: number[], extra: Partial<CompareQuery> = {}): CompareQuery => ({
	batchIds,
	models: [],
	a: 'ckpt-A',
	b: 'ckpt-B',
	...extra
});

describe('gamesOfItem', () => {
	it('makes a game of each pair of responses from two kept models, skipping ties', () => {
		const responses = [
			{ id: 1, model: 'a' },
			{ id: 2, model: 'b' },
			{ id: 3, model: 'a' },
			{ id: 4, model: null },
			{ id: 5, model: 'c' }
		];
		const position = new Map([
			[1, 1],
			[2, 1],
			[3, 3],
			[4, 2],
			[5, 4]
		]);
		// 1–2 tie, 1–3 and the unnamed 4 are no game; c is left out.
		expect(gamesOfItem(responses, position, (m) => m !== 'c')).toEqual([
			{ winner: 'b', loser: 'a' }
		]);
		expect(gamesOfItem(responses, position, () => true)).toHaveLength(4);
	});
});

describe('compareCheckpoints, on a checkpoint made warmer and less funny', () => {
	it('reads warmth up and humour down, with intervals that exclude 0, and curiosity as too few', async () => {
		const db = createTestDb();
		const { before, after } = await makeCheckpointBatches(db);
		const result = await compareCheckpoints(db, query([before.id, after.id]));

		expect(result.batches.map((b) => b.name)).toEqual([before.name, after.name]);
		expect(result.settings).toMatchObject({ prior: 1, samples: 1000, level: 0.95 });
		expect(result.traits.map((t) => [t.key, t.items, t.games])).toEqual([
			['curiosity', 8, 8],
			['humour', 60, 60],
			['warmth', 60, 60]
		]);

		const byKey = new Map(result.differences!.map((d) => [d.key, d]));
		const warmth = byKey.get('warmth')!;
		expect(warmth.status).toBe('above');
		expect(warmth.lower!).toBeGreaterThan(0);
		expect(warmth.reading).toMatch(
			/^warmth: ckpt-B above ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\.$/
		);
		const humour = byKey.get('humour')!;
		expect(humour.status).toBe('below');
		expect(humour.upper!).toBeLessThan(0);
		expect(humour.reading).toMatch(
			/^humour: ckpt-B below ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\.$/
		);
		const curiosity = byKey.get('curiosity')!;
		expect(curiosity.status).toBe('too-few');
		expect(curiosity.reading).toBe(
			'curiosity: too few to judge (ckpt-B in 4 items, 4 games; ckpt-A in 4 items, 4 games; ' +
				'needs 10 items and 30 games each).'
		);
		// The largest move first, what cannot be judged last.
		expect(result.differences!.map((d) => d.key)).toEqual(['warmth', 'humour', 'curiosity']);

		const warmthModels = result.traits.find((t) => t.key === 'warmth')!.models;
		expect(warmthModels.map((m) => [m.model, m.wins, m.games, m.items])).toEqual([
			['ckpt-B', 28, 30, 30],
			['ckpt-A', 15, 30, 30],
			['base', 17, 60, 60]
		]);
		expect(warmthModels.every((m) => m.enough)).toBe(true);
		expect(result.traits[0].models.every((m) => !m.enough)).toBe(true);
	});

	it('compares only the chosen models, always including the two checkpoints', async () => {
		const db = createTestDb();
		const { before, after } = await makeCheckpointBatches(db);
		// Without base nothing links the checkpoints: each played only base.
		const result = await compareCheckpoints(
			db,
			query([before.id, after.id, 999_999], { models: ['ckpt-A'] })
		);
		expect(result.missingBatchIds).toEqual([999_999]);
		expect(result.traits).toEqual([]);
		expect(result.differences!.length).toBe(0);

		const alone = await compareCheckpoints(db, query([before.id], { a: 'ckpt-A', b: 'ckpt-A' }));
		expect(alone.checkpoints).toBeNull();
		expect(alone.differences).toBeNull();
		expect(
			alone.traits
				.find((t) => t.key === 'warmth')!
				.models.map((m) => m.model)
				.sort()
		).toEqual(['base', 'ckpt-A']);
	});

	it('follows an adjudication and leaves an excluded item out', async () => {
		const db = createTestDb();
		const reviewer = await makeUser(db);
		const lead = await makeUser(db, { role: 'lead' });
		const constitution = makeConstitution(db);
		const trait = makeTrait(db, constitution.id, { key: 'warmth' });
		const batch = makeBatch(db, { constitutionId: constitution.id, status: 'open' });
		const pair = () => {
			const rows = makeItem(db, batch.id, trait, { responses: [{ model: 'x' }, { model: 'y' }] });
			makeReview(db, rows, reviewer.id, { scores: [6, 2] });
			return rows;
		};
		pair();
		const [overturned, excluded] = [pair(), pair()];
		const [x, y] = overturned.responses.map((r) => r.id);
		adjudicateItem(db, lead.id, batch.id, overturned.item.id, {
			decision: 'order',
			order: [[y], [x]],
			note: 'y is kinder'
		});
		adjudicateItem(db, lead.id, batch.id, excluded.item.id, {
			decision: 'exclude',
			note: 'broken prompt'
		});
		const result = await compareCheckpoints(db, query([batch.id], { a: null, b: null }));
		// The reviewers put x first three times; the lead overturned one and excluded one.
		expect(result.traits[0].models.map((m) => [m.model, m.wins, m.games])).toEqual([
			['x', 1, 2],
			['y', 1, 2]
		]);
	});
});

describe('compareTrait and readDifference', () => {
	const games = (winner: string, loser: string, n: number): Comparison[][] =>
		Array.from({ length: n }, () => [{ winner, loser }]);

	it('says "no clear difference" when the interval holds 0', () => {
		const items = [...games('A', 'B', 20), ...games('B', 'A', 20)];
		const { difference } = compareTrait('warmth', items, { a: 'A', b: 'B' }, SETTINGS);
		expect(difference!.status).toBe('unclear');
		expect(difference!.reading).toMatch(
			/^warmth: no clear difference between B and A \(-?0\.00 \[-\d\.\d\d, \d\.\d\d\]\)\.$/
		);
	});

	it('refuses to read a difference that only the prior would give', () => {
		const items = [
			...games('A', 'X', 20),
			...games('X', 'A', 20),
			...games('B', 'Y', 25),
			...games('Y', 'B', 15)
		];
		const { difference } = compareTrait('warmth', items, { a: 'A', b: 'B' }, SETTINGS);
		expect(difference!.status).toBe('unlinked');
		expect(difference!.reading).toBe('warmth: cannot be compared: no chain of games links B to A.');
	});

	it('reads "too few" below either minimum', () => {
		const share = (items: number, games: number) => ({ model: 'A', items, games });
		const estimate = { difference: 1, lower: 0.5, upper: 1.5 };
		expect(readDifference('t', share(10, 30), share(10, 30), estimate, true).status).toBe('above');
		expect(readDifference('t', share(9, 30), share(10, 30), estimate, true).status).toBe('too-few');
		expect(readDifference('t', share(10, 30), share(10, 29), estimate, true).status).toBe(
			'too-few'
		);
	});
});

describe('the downloads', () => {
	it('writes CSV with spreadsheet formulas made text, and JSON of the same figures', async () => {
		const db = createTestDb();
		const reviewer = await makeUser(db);
		const constitution = makeConstitution(db);
		const trait = makeTrait(db, constitution.id, { key: '+warmth' });
		const batch = makeBatch(db, { constitutionId: constitution.id, status: 'locked' });
		const rows = makeItem(db, batch.id, trait, {
			responses: [{ model: '=HYPERLINK("http://x")' }, { model: '-ckpt' }]
		});
		makeReview(db, rows, reviewer.id, { scores: [6, 2] });
		const result = await compareCheckpoints(
			db,
			query([batch.id], { a: '-ckpt', b: '=HYPERLINK("http://x")' })
		);

		const csvResponse = compareDownload(result, 'csv');
		expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csvResponse.headers.get('content-disposition')).toContain('checkpoint-comparison.csv');
		const lines = (await csvResponse.text()).trimEnd().split('\n');
		expect(lines[0]).toBe(
			'figure,trait,model,versus,estimate,lower,upper,items,games,wins,win_rate,reading'
		);
		expect(lines[1]).toMatch(/^strength,'\+warmth,"'=HYPERLINK\(""http:\/\/x""\)",,0\.\d+,/);
		expect(lines[2]).toMatch(/^strength,'\+warmth,'-ckpt,,-0\.\d+,/);
		expect(lines[3]).toMatch(/^difference,'\+warmth,"'=HYPERLINK\(""http:\/\/x""\)",'-ckpt,/);
		expect(lines[3]).toContain('too few to judge');
		expect(lines).toHaveLength(4);

		const json = await compareDownload(result, 'json').json();
		expect(json).toEqual(JSON.parse(JSON.stringify(result)));
		expect(json.traits[0].models[0].model).toBe('=HYPERLINK("http://x")');
	});
});

describe('parseCompareQuery', () => {
	it('reads repeated batches and models, and drops what is not an id or a name', () => {
		const params = new URLSearchParams(
			'batch=3&batch=x&batch=3&batch=-1&batch=7&model=ckpt-A&model=&model=%20base%20&a=ckpt-A&b='
		);
		expect(parseCompareQuery(params)).toEqual({
			batchIds: [3, 7],
			models: ['ckpt-A', 'base'],
			a: 'ckpt-A',
			b: null
		});
	});
});

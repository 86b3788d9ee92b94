// The tally tests' world: a batch of random items, five researchers and random writes, and the
// check of the tallies against a full recount. Shared by tallies.test.ts and stale.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { mulberry32 } from '$lib/prng';
import { createTestDb } from '../../../../../tests/support/db';
import { makeUser } from '../../../../../tests/support/factories';
import { handOver } from '../../../../../tests/support/review-batches';
import { adjudicateItem, clearAdjudication } from '../../adjudication';
import { lockBatch, openBatch, unlockBatch } from '../../batches';
import type { AppDB } from '../../db';
import { DomainError } from '../../errors';
import { importFile } from '../../imports';
import {
	assignResearcher,
	editSubmittedReview,
	saveDraft,
	setOverlap,
	skipItem,
	submitReview
} from '../../reviews';
import { consensusInput, readItems } from '../../item-records';
import { itemSpread } from '../../stats';
import { batchDashboard, readTalliedSpreads, recountDashboard } from '../index';

/** Three models, and responses that name none. */
const MODELS = ['m1', 'm2', 'm3', null];
const modelOf = (model: string | null) => (model ? { model } : {});
const TRAITS = ['warmth', 'curiosity', 'candour'];
const SCALE = 5;

export type World = {
	db: AppDB;
	batchId: number;
	adminId: number;
	researchers: number[];
	items: { id: number; responses: number[] }[];
};

/** Items of three traits, with models (some shared, some missing), AI judgements and labels. */
function batchLines(random: () => number, count: number, traits: number): string {
	return Array.from({ length: count }, (_, i) => {
		const responses = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, p) => ({
			content: `Response ${p} to item ${i}.`,
			...modelOf(MODELS[Math.floor(random() * MODELS.length)]),
			...(i % 3 === 0 ? { ai_rank: 1 + Math.floor(random() * 3) } : {}),
			...(i % 3 === 1 ? { ai_score: Math.round(random() * 10) } : {}),
			...(i % 2 === 0 ? { reference: { label: ['good', 'bad', 'ok'][p % 3] } } : {})
		}));
		return JSON.stringify({
			id: `item-${i}`,
			trait: TRAITS[i % traits],
			prompt: `Prompt ${i}`,
			responses
		});
	}).join('\n');
}

export async function buildWorld(
	seed: number,
	{ db = createTestDb(), count = 10, traits = TRAITS.length } = {}
): Promise<World> {
	const random = mulberry32(seed);
	const admin = await makeUser(db, { role: 'admin' });
	const file = join(mkdtempSync(join(tmpdir(), 'tallies-')), 'batch.jsonl');
	writeFileSync(file, batchLines(random, count, traits) + '\n');
	const result = await importFile(db, file, {
		actorId: admin.id,
		batch: `tallies-${seed}-${admin.id}`,
		constitution: `tallies-${seed}-${admin.id}`,
		settings: { overlap: 3, scalePoints: SCALE }
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	openBatch(db, admin.id, result.batchId);
	const researchers: number[] = [];
	for (let r = 0; r < 5; r++) {
		const { id } = await makeUser(db, { role: 'researcher' });
		assignResearcher(db, admin.id, result.batchId, id, null);
		researchers.push(id);
	}
	const items = (
		db.$client
			.prepare(`SELECT id FROM items WHERE batch_id = ? ORDER BY id`)
			.all(result.batchId) as { id: number }[]
	).map(({ id }) => ({
		id,
		responses: (
			db.$client
				.prepare(`SELECT id FROM responses WHERE item_id = ? ORDER BY position`)
				.all(id) as { id: number }[]
		).map((r) => r.id)
	}));
	return { db, batchId: result.batchId, adminId: admin.id, researchers, items };
}

/** A complete review: random scores, ranks in competition style from random values (ties). */
export function randomReview(random: () => number, responses: number[]) {
	const values = responses.map(() => Math.floor(random() * 3));
	return {
		scores: Object.fromEntries(responses.map((id) => [id, 1 + Math.floor(random() * SCALE)])),
		ranks: Object.fromEntries(
			responses.map((id, i) => [id, 1 + values.filter((v) => v > values[i]).length])
		),
		timeSpentMs: Math.floor(random() * 4_000_000)
	};
}

/** One random write; refusals (a full item, a locked batch, …) are part of the sequence. */
export function randomStep(world: World, random: () => number, step: number) {
	const { db, batchId, adminId } = world;
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const item = pick(world.items);
	const user = pick(world.researchers);
	const now = new Date(Date.UTC(2025, 0, 1) + step * 5 * 3600_000);
	const roll = random();
	try {
		if (roll < 0.35) {
			handOver(db, user, item.id, now);
			submitReview(db, user, item.id, randomReview(random, item.responses), now);
		} else if (roll < 0.55) {
			editSubmittedReview(db, user, item.id, randomReview(random, item.responses), now);
		} else if (roll < 0.62) {
			handOver(db, user, item.id, now);
			saveDraft(db, user, item.id, { scores: {}, timeSpentMs: 1000 }, now);
		} else if (roll < 0.67) {
			handOver(db, user, item.id, now);
			skipItem(db, user, item.id, 'not my field', {}, now);
		} else if (roll < 0.8) {
			const order =
				random() < 0.3 ? null : item.responses.map((id) => [id]).sort(() => random() - 0.5);
			adjudicateItem(db, adminId, batchId, item.id, {
				...(order ? { decision: 'order', order } : { decision: 'exclude' }),
				note: 'decided'
			});
		} else if (roll < 0.9) {
			clearAdjudication(db, adminId, batchId, item.id);
		} else if (roll < 0.95) {
			setOverlap(db, adminId, batchId, 1 + Math.floor(random() * 4));
		} else if (roll < 0.975) {
			lockBatch(db, adminId, batchId, true);
		} else {
			unlockBatch(db, adminId, batchId);
		}
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
	}
}

/** Every number within 1e-12 (alpha, means, strengths), everything else exactly. */
export function differences(actual: unknown, expected: unknown, path = ''): string[] {
	if (typeof actual === 'number' && typeof expected === 'number') {
		const close = actual === expected || Math.abs(actual - expected) <= 1e-12;
		return close ? [] : [`${path}: ${actual} ≠ ${expected}`];
	}
	if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
		const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
		return [...keys].flatMap((key) =>
			differences(
				(actual as Record<string, unknown>)[key],
				(expected as Record<string, unknown>)[key],
				`${path}.${key}`
			)
		);
	}
	return Object.is(actual, expected) ? [] : [`${path}: ${String(actual)} ≠ ${String(expected)}`];
}

export async function expectRecount(db: AppDB, batchId: number) {
	const options = { showNames: true };
	const fast = await batchDashboard(db, batchId, options);
	const full = await recountDashboard(db, batchId, options);
	expect(differences(fast, full)).toEqual([]);
	// The adjudication list's ranking, from the same tallies, against every item read whole.
	const tallied = readTalliedSpreads(db.$client, batchId);
	expect(tallied).not.toBeNull();
	const spreads = [...tallied!].sort((a, b) => a.itemId - b.itemId);
	const recounted = [...readItems(db.$client, [batchId], { withContent: false })]
		.filter((item) => item.reviews.length >= 2)
		.map((item) => ({
			itemId: item.id,
			traitKey: item.traitKey,
			reviews: item.reviews.length,
			...itemSpread(consensusInput(item))
		}));
	expect(differences(spreads, recounted)).toEqual([]);
	return fast;
}

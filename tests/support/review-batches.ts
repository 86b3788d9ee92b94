// Batches of any size for the queue's tests, and a way to hand a fixture a given item.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { AppDB } from '../../src/lib/server/db';
import { openBatch } from '../../src/lib/server/batches';
import { items } from '../../src/lib/server/db/schema';
import { importFile } from '../../src/lib/server/imports';
import * as reviews from '../../src/lib/server/reviews';
import { takeLease } from '../../src/lib/server/reviews/queue';

let imported = 0;

/**
 * Imports a batch of `items` generated items (two or three responses each) and opens it,
 * unless `draft`. Returns the batch id and its item ids in file order.
 */
export async function importGeneratedBatch(
	db: AppDB,
	leadId: number,
	options: { items: number; overlap: number; calibration?: boolean; draft?: boolean }
): Promise<{ batchId: number; itemIds: number[] }> {
	const tag = `${leadId}-${++imported}`;
	const lines = Array.from({ length: options.items }, (_, i) =>
		JSON.stringify({
			id: `item-${i + 1}`,
			trait: 'warmth',
			prompt: `Prompt ${i + 1} of batch ${tag}: I failed my driving test.`,
			responses: Array.from({ length: 2 + (i % 2) }, (_, p) => ({
				content: `Response ${p + 1} to prompt ${i + 1}.`,
				reference: { label: p === 0 ? 'good' : 'bad' }
			}))
		})
	);
	const file = join(mkdtempSync(join(tmpdir(), 'review-batch-')), 'batch.jsonl');
	writeFileSync(file, lines.join('\n') + '\n');
	const result = await importFile(db, file, {
		actorId: leadId,
		batch: `batch-${tag}`,
		constitution: `constitution-${tag}`,
		settings: { overlap: options.overlap, calibration: options.calibration ?? false }
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	if (!options.draft) openBatch(db, leadId, result.batchId);
	const itemIds = db
		.select({ id: items.id })
		.from(items)
		.where(eq(items.batchId, result.batchId))
		.orderBy(items.sourceLine)
		.all()
		.map((i) => i.id);
	return { batchId: result.batchId, itemIds };
}

/**
 * Hands a researcher a given item, as a claim would, for fixtures that need one researcher's
 * review of one item: the queue itself hands items out in its own order.
 */
export function handOver(db: AppDB, userId: number, itemId: number, now = new Date()): void {
	const { batchId } = db.select().from(items).where(eq(items.id, itemId)).get()!;
	takeLease(db, userId, batchId, itemId, now);
}

/** The review writes, each on an item handed over first (see handOver). */
export function submitReview(...args: Parameters<typeof reviews.submitReview>) {
	handOver(args[0], args[1], args[2], args[4]);
	return reviews.submitReview(...args);
}

export function saveDraft(...args: Parameters<typeof reviews.saveDraft>) {
	handOver(args[0], args[1], args[2], args[4]);
	return reviews.saveDraft(...args);
}

export function skipItem(...args: Parameters<typeof reviews.skipItem>) {
	handOver(args[0], args[1], args[2], args[5]);
	return reviews.skipItem(...args);
}

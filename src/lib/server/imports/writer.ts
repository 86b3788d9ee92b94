import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import type { ImportFormat } from '$lib/import-formats';
import type { ImportResult } from '$lib/import-result';
import type { AppDB } from '../db';
import { logSyncFor } from '../db/log-sync';
import { imports, prompts } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import {
	auditImport,
	finishBatch,
	importedFile,
	keepClaim,
	startBatch,
	type ImportingBatch
} from './batch-rows';
import { batchNameTaken } from './checks';
import { chunkPacer, fillChunk, inImmediateTransaction, MIN_CHUNK_MS } from './chunks';
import { ensureTraits, type TraitInput } from './ensure-traits';
import { failure } from './issues';
import { markWriting, removeImportingBatch } from './leftovers';
import type { OctTrait } from './parsers/oct';
import type { BatchSettings } from './settings';
import type { ParsedItem } from './types';

export { itemExternalId } from './batch-rows';

/** Everything the write phase needs to know about the file and where it goes. */
export type WriteContext = {
	db: AppDB;
	sha: string;
	fileName: string;
	format: ImportFormat;
	actorId: number | null;
	constitutionName: string;
	batchName: string;
	settings: BatchSettings;
};

/**
 * What checking a file needs: the same, less the file's hash, which is still being taken
 * (file-hash.ts). `abandoned()` turns true once the hash shows the file was imported before:
 * a long check can stop there.
 */
export type CheckContext = Omit<WriteContext, 'sha'> & { abandoned: () => boolean };

/** A checked file: why it is refused, or how to write it once its hash is known. */
export type CheckedFile = ImportResult | { write: (sha: string) => Promise<ImportResult> };

/**
 * Writes the constitution, its traits, the batch, its items and their responses, all or
 * nothing, without freezing anyone. The items go in short transactions (chunks.ts) into a batch
 * that stays `importing`, which nobody sees, until the transaction that writes its last items
 * makes it a draft. If the import fails half-way, the batch is removed; if its process dies, the
 * next start removes it (leftovers.ts).
 *
 * `items` is pulled one at a time, so a JSONL file is read line by line rather than held in
 * memory; an exception from it stops the write, which then removes the batch. An import that
 * edits existing traits (the Model Spec: small documents) goes in one transaction, so a failure
 * cannot leave the traits edited without their batch.
 */
export async function writeBatch(
	ctx: WriteContext,
	wantedTraits: TraitInput[],
	items: Iterable<ParsedItem>,
	updateTraits = false
): Promise<ImportResult> {
	const source = items[Symbol.iterator]();
	try {
		return await writeChunks(ctx, wantedTraits, source, updateTraits);
	} finally {
		// Closes the file of a JSONL second pass that stopped early.
		source.return?.();
	}
}

async function writeChunks(
	ctx: WriteContext,
	wantedTraits: TraitInput[],
	source: Iterator<ParsedItem>,
	updateTraits: boolean
): Promise<ImportResult> {
	const client = ctx.db.$client;
	let next = source.next();
	let batch: ImportingBatch;
	let result: ImportResult | undefined;
	try {
		[batch, result] = await inImmediateTransaction(
			client,
			() => {
				const started = startBatch(ctx, wantedTraits, updateTraits);
				next = fillChunk(source, next, started.write, updateTraits ? Infinity : MIN_CHUNK_MS);
				return [started, next.done ? finishBatch(ctx, started) : undefined] as const;
			},
			{ unsynced: true }
		);
	} catch (e) {
		// Only the first transaction can meet another import's file or batch name.
		return conflictFailure(ctx, e);
	}
	if (result) return synced(client, result);

	markWriting(batch.batchId, true);
	const pacer = chunkPacer(client);
	let chunkMs = 0;
	try {
		while (!result) {
			await pacer.pause(chunkMs);
			const started = performance.now();
			result = await inImmediateTransaction(
				client,
				() => {
					keepClaim(ctx, batch);
					next = fillChunk(source, next, batch.write, pacer.budgetMs());
					return next.done ? finishBatch(ctx, batch) : undefined;
				},
				{ unsynced: true }
			);
			chunkMs = performance.now() - started;
		}
	} catch (e) {
		await removeImportingBatch(ctx.db, batch.batchId).catch((cleanup: unknown) =>
			console.error(`Could not remove the unfinished batch ${batch.batchId}:`, cleanup)
		);
		throw e;
	} finally {
		markWriting(batch.batchId, false);
	}
	return synced(client, result);
}

/**
 * The import's answer, once its commits are on disk. Its transactions skip the sync of the log
 * (chunks.ts): on a file of gigabytes, a sync at every chunk made the disk write each chunk
 * while the import waited, instead of in the background. This sync covers all of them (in the
 * server, the pauses between chunks have synced most already, off the main thread).
 */
async function synced(client: Database.Database, result: ImportResult): Promise<ImportResult> {
	await logSyncFor(client)();
	return result;
}

/**
 * Writes an Open Character Training constitution: its traits, and their questions as prompts
 * waiting for responses. A question a trait already has is not added twice. These files are
 * small: one transaction.
 */
export async function writeConstitution(
	ctx: WriteContext,
	octTraits: OctTrait[]
): Promise<ImportResult> {
	const { db } = ctx;
	try {
		return await inImmediateTransaction(db.$client, () => {
			const { constitution, byKey } = ensureTraits(db, ctx, octTraits, false);
			const insertPrompt = db.$client.prepare(
				`INSERT INTO prompts (trait_id, external_id, text) VALUES (?, ?, ?)
				 ON CONFLICT (trait_id, external_id) DO NOTHING`
			);
			let promptCount = 0;
			for (const trait of octTraits) {
				const { traitId } = byKey.get(trait.key)!;
				const known = new Set(
					db
						.select({ text: prompts.text })
						.from(prompts)
						.where(eq(prompts.traitId, traitId))
						.all()
						.map((p) => p.text)
				);
				let n = known.size;
				for (const question of trait.questions) {
					if (known.has(question)) continue;
					known.add(question);
					n += 1;
					promptCount += insertPrompt.run(traitId, `${trait.key}-q${n}`, question).changes;
				}
			}
			db.insert(imports)
				.values({
					...importedFile(ctx),
					constitutionId: constitution.id,
					itemCount: promptCount,
					responseCount: 0
				})
				.run();
			auditImport(ctx, 'constitution', constitution.id, {
				traits: octTraits.length,
				prompts: promptCount
			});
			return {
				ok: true as const,
				kind: 'constitution' as const,
				format: ctx.format,
				constitutionId: constitution.id,
				constitutionName: constitution.name,
				traits: octTraits.length,
				prompts: promptCount
			};
		});
	} catch (e) {
		return conflictFailure(ctx, e);
	}
}

/** Two imports of the same file, or of the same batch name, racing: one wins, one is told why. */
function conflictFailure(ctx: WriteContext, e: unknown): ImportResult {
	if (isUniqueViolation(e, 'imports.file_sha256')) {
		return failure(
			'already_imported',
			'This file was just imported by another request. Nothing was added.'
		);
	}
	if (isUniqueViolation(e, 'batches.name')) {
		return failure('conflict', batchNameTaken(ctx.batchName));
	}
	throw e;
}

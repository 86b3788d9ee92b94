import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { createBatchAlpha, type AlphaReading } from '../dashboard';
import type { AppDB } from '../db';
import { users, type Export } from '../db/schema';
import { goldItemIds } from '../gold';
import { nextTurn, readItemChunks } from '../item-records';
import { exportReviewerNames } from '../pseudonyms';
import { resolveExportBatches, type ExportBatch } from './batches';
import { writeDatasetCard } from './card';
import {
	collectConflicts,
	createScreen,
	screenItem,
	screeningReport,
	type Screening
} from './checks';
import { exportFileName, exportsDir } from './files';
import { describeNotes, itemRows, type FormatContext } from './formats';
import { ensureDecisionsUnchanged, fingerprintDecisions } from './freeze';
import type { ExportOptions } from './options';
import { createExportRecord, type ExportCounts } from './records';
import { describeDrops, selectItem } from './select';
import { stageHubDataset } from './hub-dataset';
import { stageSingleFile, type ExportSink } from './sink';

export type ExportProgress = { items: number; totalItems: number };

/**
 * A connection that sees one consistent state of the database for the whole export, however
 * long it takes and whatever is written meanwhile. An in-memory database (tests) has only its
 * own connection.
 */
function openSnapshot(db: AppDB): { client: Database.Database; close: () => void } {
	if (db.$client.memory) return { client: db.$client, close: () => {} };
	const client = new Database(db.$client.name, { readonly: true, fileMustExist: true });
	client.pragma('busy_timeout = 5000');
	client.exec('BEGIN');
	return {
		client,
		close: () => {
			client.exec('COMMIT');
			client.close();
		}
	};
}

const itemCount = (found: ExportBatch[]) => found.reduce((sum, batch) => sum + batch.items, 0);
type BatchAlpha = { batchId: number } & AlphaReading;

/**
 * The heart of every export and preview: reads the batches item by item, selects and formats
 * each, and hands the text to `sink`. Returns the counts, and the first `keep` rows as objects.
 */
async function produce(
	db: AppDB,
	options: ExportOptions,
	totalItems: number,
	sink: ExportSink | null,
	keep: number,
	onProgress?: (p: ExportProgress) => void
): Promise<{
	counts: ExportCounts;
	firstRows: object[];
	agreement: BatchAlpha[];
	decisions: string;
	/** What the format had to change in prompts, as warnings. */
	notes: string[];
	screening: Screening | null;
}> {
	const snapshot = openSnapshot(db);
	try {
		const decisions = fingerprintDecisions(snapshot.client, options.batchIds);
		const ctx: FormatContext = {
			format: options.format,
			includeMargin: options.includeMargin,
			includeMetadata: options.includeMetadata,
			separatePrompt: options.separatePrompt,
			rationale: options.rationale,
			reviewerName: exportReviewerNames(snapshot.client, options.batchIds),
			notes: {}
		};
		// Conflicts between traits need every item's order before the first line is written.
		const screen = createScreen(options, await collectConflicts(snapshot.client, options));
		const counts: ExportCounts = { itemsIn: 0, itemsOut: {}, rows: 0 };
		const firstRows: object[] = [];
		let done = 0;
		// The dataset card's figures, from the same items, and so the same state, as the file.
		const agreement: BatchAlpha[] = [];
		for (const batchId of options.batchIds) {
			const gold = goldItemIds(snapshot.client, batchId);
			const alpha = createBatchAlpha();
			for (const chunk of readItemChunks(snapshot.client, batchId)) {
				for (const item of chunk) {
					if (sink) alpha.addItem(item);
					const picked = selectItem(item, options, gold.has(item.id));
					const selected = picked.kept ? screenItem(screen, picked) : picked;
					if (!selected.kept) {
						counts.itemsOut[selected.reason] = (counts.itemsOut[selected.reason] ?? 0) + 1;
						continue;
					}
					const out = itemRows(ctx, selected);
					// A prompt the format cannot hold gives no line (see the notes): not an item in.
					if (out.rows.length === 0) continue;
					counts.itemsIn += 1;
					counts.rows += out.rows.length;
					for (const row of out.rows) if (firstRows.length < keep) firstRows.push(row);
					sink?.add(item, out.text, out.rows.length);
				}
				done += chunk.length;
				await sink?.flush();
				onProgress?.({ items: done, totalItems });
				// Let the server answer other requests between chunks of a large batch.
				await nextTurn();
			}
			if (sink) agreement.push({ batchId, ...alpha.result() });
		}
		return {
			counts,
			firstRows,
			agreement,
			decisions,
			notes: describeNotes(ctx.notes),
			screening: screeningReport(screen)
		};
	} finally {
		snapshot.close();
	}
}

export type ExportPreview = {
	batches: ExportBatch[];
	warnings: string[];
	counts: ExportCounts;
	/** The first lines (five unless asked otherwise), as they will be written. */
	rows: object[];
	dropReasons: { reason: string; count: number }[];
	/** Content checks and conflicts between traits; null for raw-review formats. */
	screening: Screening | null;
};

export async function previewExport(
	db: AppDB,
	options: ExportOptions,
	limit = 5
): Promise<ExportPreview> {
	const { batches: found, warnings } = resolveExportBatches(db, options);
	const { counts, firstRows, notes, screening } = await produce(
		db,
		options,
		itemCount(found),
		null,
		limit
	);
	return {
		batches: found,
		warnings: [...warnings, ...notes],
		counts,
		rows: firstRows,
		dropReasons: describeDrops(counts.itemsOut),
		screening
	};
}

/**
 * Writes the export file, then records it. The file is flushed to disk and put in place before
 * the record is written, and removed if the record is not: a record never points at a missing
 * or partial file (see staging.ts). The record is refused if a decision changed meanwhile (see
 * freeze.ts).
 */
export async function runExport(
	db: AppDB,
	actorId: number | null,
	options: ExportOptions,
	settings: { dir?: string; onProgress?: (p: ExportProgress) => void; now?: Date } = {}
): Promise<Export> {
	const { batches: found, warnings } = resolveExportBatches(db, options);
	const dir = settings.dir ?? exportsDir();
	const sink =
		options.output === 'hf-dataset'
			? await stageHubDataset(dir, options)
			: await stageSingleFile(dir, options);
	try {
		const { counts, agreement, decisions, notes, screening } = await produce(
			db,
			options,
			itemCount(found),
			sink,
			0,
			settings.onProgress
		);
		const actor = actorId
			? db.select({ username: users.username }).from(users).where(eq(users.id, actorId)).get()
			: undefined;
		const card = {
			options,
			batches: found,
			warnings: [...warnings, ...notes],
			counts,
			agreement,
			createdBy: actor?.username ?? null,
			screening
		};
		const { sha256, bytes } = await sink.finish(card);
		const now = settings.now ?? new Date();
		const fileName = exportFileName(now, options.format, sha256, sink.extension);
		const fields = {
			format: options.format,
			settings: { ...options },
			rowCount: counts.rows,
			itemsIn: counts.itemsIn,
			itemsOut: counts.itemsOut,
			sha256,
			bytes,
			fileName,
			createdBy: actorId,
			createdAt: now
		};
		return createExportRecord(db, fields, options.batchIds, {
			beforeInsert: () => {
				ensureDecisionsUnchanged(db.$client, options.batchIds, decisions);
				sink.place(fileName);
			},
			writeCard: (record) => writeDatasetCard({ record, ...card })
		});
	} catch (e) {
		await sink.discard();
		throw e;
	}
}

import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { batchAgreementAsync, type AlphaReading } from '../dashboard';
import type { AppDB } from '../db';
import { users, type Export } from '../db/schema';
import { nextTurn, readItemChunks } from '../item-records';
import { exportReviewerNames } from '../pseudonyms';
import { resolveExportBatches, type ExportBatch } from './batches';
import { writeDatasetCard } from './card';
import { exportFileName, exportsDir } from './files';
import { csvHeader, itemRows, type FormatContext } from './formats';
import { ensureDecisionsUnchanged, fingerprintDecisions } from './freeze';
import type { ExportOptions } from './options';
import { createExportRecord, type ExportCounts } from './records';
import { describeDrops, selectItem } from './select';
import { stageExportFile } from './staging';

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

type Sink = (text: string) => void | Promise<void>;

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
	sink: Sink | null,
	keep: number,
	onProgress?: (p: ExportProgress) => void
): Promise<{
	counts: ExportCounts;
	firstRows: object[];
	agreement: BatchAlpha[];
	decisions: string;
}> {
	const snapshot = openSnapshot(db);
	try {
		const decisions = fingerprintDecisions(snapshot.client, options.batchIds);
		const ctx: FormatContext = {
			format: options.format,
			includeMargin: options.includeMargin,
			reviewerName: exportReviewerNames(snapshot.client, options.batchIds)
		};
		const counts: ExportCounts = { itemsIn: 0, itemsOut: {}, rows: 0 };
		const firstRows: object[] = [];
		let done = 0;
		if (sink && options.format === 'reviews-csv') await sink(csvHeader());
		for (const batchId of options.batchIds) {
			for (const chunk of readItemChunks(snapshot.client, batchId)) {
				let text = '';
				for (const item of chunk) {
					const selected = selectItem(item, options);
					if (!selected.kept) {
						counts.itemsOut[selected.reason] = (counts.itemsOut[selected.reason] ?? 0) + 1;
						continue;
					}
					const out = itemRows(ctx, selected);
					counts.itemsIn += 1;
					counts.rows += out.rows.length;
					for (const row of out.rows) if (firstRows.length < keep) firstRows.push(row);
					text += out.text;
				}
				done += chunk.length;
				if (sink && text) await sink(text);
				onProgress?.({ items: done, totalItems });
				// Let the server answer other requests between chunks of a large batch.
				await nextTurn();
			}
		}
		// The dataset card's figures, from the same state of the database as the file.
		const agreement: BatchAlpha[] = [];
		for (const batchId of sink ? options.batchIds : []) {
			const { overall } = await batchAgreementAsync({ $client: snapshot.client }, batchId);
			agreement.push({ batchId, ...overall });
		}
		return { counts, firstRows, agreement, decisions };
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
};

export async function previewExport(
	db: AppDB,
	options: ExportOptions,
	limit = 5
): Promise<ExportPreview> {
	const { batches: found, warnings } = resolveExportBatches(db, options);
	const { counts, firstRows } = await produce(db, options, itemCount(found), null, limit);
	return {
		batches: found,
		warnings,
		counts,
		rows: firstRows,
		dropReasons: describeDrops(counts.itemsOut)
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
	const staged = await stageExportFile(settings.dir ?? exportsDir());
	try {
		const { counts, agreement, decisions } = await produce(
			db,
			options,
			itemCount(found),
			staged.write,
			0,
			settings.onProgress
		);
		const { sha256, bytes } = await staged.finish();
		const now = settings.now ?? new Date();
		const fileName = exportFileName(now, options.format, sha256);
		const actor = actorId
			? db.select({ username: users.username }).from(users).where(eq(users.id, actorId)).get()
			: undefined;
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
				staged.place(fileName);
			},
			writeCard: (record) =>
				writeDatasetCard({
					record,
					options,
					batches: found,
					warnings,
					counts,
					agreement,
					createdBy: actor?.username ?? null
				})
		});
	} catch (e) {
		await staged.discard();
		throw e;
	}
}

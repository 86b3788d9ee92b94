import Database from 'better-sqlite3';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { batchAgreementAsync, type AlphaReading } from '../agreement';
import { recordAudit } from '../audit';
import { DEFAULT_DATABASE_PATH, type AppDB, type DB } from '../db';
import {
	batches,
	batchVisible,
	exportBatches,
	exportRuns,
	users,
	type ExportRun
} from '../db/schema';
import { DomainError } from '../errors';
import { nextTurn, readItemChunks } from '../item-records';
import { exportReviewerNames } from '../pseudonyms';
import { writeDatasetCard } from './card';
import { csvHeader, itemRows, type FormatContext } from './formats';
import { fileExtension, type ExportOptions } from './options';
import { describeDrops, selectItem, type DropReason } from './select';

export type ExportCounts = {
	itemsIn: number;
	itemsOut: Partial<Record<DropReason, number>>;
	/** Lines in the file (CSV: data rows, without the header). */
	rows: number;
};

export type ExportBatch = { id: number; name: string; status: string; items: number };

export type ExportProgress = { items: number; totalItems: number };

/** Where export files live: EXPORTS_DIR, or `exports/` beside the database file. */
export function exportsDir(): string {
	if (process.env.EXPORTS_DIR) return resolve(process.env.EXPORTS_DIR);
	const database = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
	return join(dirname(resolve(database)), 'exports');
}

/** The batches an export reads, checked: they exist, and are locked unless asked otherwise. */
export function resolveExportBatches(
	db: DB,
	options: Pick<ExportOptions, 'batchIds' | 'lockedOnly'>
): { batches: ExportBatch[]; warnings: string[] } {
	const found = db
		.select({
			id: batches.id,
			name: batches.name,
			status: batches.status,
			items: sql<number>`(select count(*) from items where items.batch_id = ${batches.id})`
		})
		.from(batches)
		.where(and(inArray(batches.id, options.batchIds), batchVisible))
		.orderBy(batches.id)
		.all();
	const missing = options.batchIds.filter((id) => !found.some((b) => b.id === id));
	if (missing.length > 0) throw new DomainError(`There is no batch with id ${missing.join(', ')}.`);
	const unlocked = found.filter((b) => b.status !== 'locked');
	if (unlocked.length > 0 && options.lockedOnly) {
		throw new DomainError(
			`${unlocked.map((b) => `"${b.name}"`).join(', ')} ${unlocked.length > 1 ? 'are' : 'is'} not locked. Lock ${unlocked.length > 1 ? 'them' : 'it'} first, or include unlocked batches.`,
			'lockedOnly'
		);
	}
	const warnings = unlocked.map(
		(b) =>
			`"${b.name}" is ${b.status}, not locked: its reviews can still change, so this export describes them only as they are now.`
	);
	return { batches: found, warnings };
}

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
): Promise<{ counts: ExportCounts; firstRows: object[]; agreement: BatchAlpha[] }> {
	const snapshot = openSnapshot(db);
	try {
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
		return { counts, firstRows, agreement };
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
 * Writes the export file, then records it. The file is written under a temporary name and
 * renamed once complete, so a crash leaves no half file behind a record; the record is written
 * last, in one transaction with its audit event.
 */
export async function runExport(
	db: AppDB,
	actorId: number | null,
	options: ExportOptions,
	settings: { dir?: string; onProgress?: (p: ExportProgress) => void; now?: Date } = {}
): Promise<ExportRun> {
	const { batches: found, warnings } = resolveExportBatches(db, options);
	const dir = settings.dir ?? exportsDir();
	mkdirSync(dir, { recursive: true });
	const temporary = join(dir, `.writing-${randomBytes(8).toString('hex')}`);
	const file = createWriteStream(temporary);
	const hash = createHash('sha256');
	let bytes = 0;
	const sink: Sink = (text) => {
		const chunk = Buffer.from(text, 'utf8');
		hash.update(chunk);
		bytes += chunk.length;
		if (!file.write(chunk)) return new Promise<void>((r) => file.once('drain', () => r()));
	};
	try {
		const { counts, agreement } = await produce(
			db,
			options,
			itemCount(found),
			sink,
			0,
			settings.onProgress
		);
		await new Promise<void>((done, fail) => {
			file.once('error', fail);
			file.end(() => done());
		});
		const sha256 = hash.digest('hex');
		const now = settings.now ?? new Date();
		const fileName = `${now.toISOString().replace(/[:.]/g, '-')}-${options.format}-${sha256.slice(0, 12)}.${fileExtension(options.format)}`;
		await rename(temporary, join(dir, fileName));
		const actor = actorId
			? db.select({ username: users.username }).from(users).where(eq(users.id, actorId)).get()
			: undefined;
		return db.transaction((tx) => {
			// The card names the export, and a record is never updated (a trigger refuses it),
			// so the id is taken before the insert; the write lock makes it safe.
			const id =
				(tx.get<{ seq: number } | undefined>(
					sql`select seq from sqlite_sequence where name = 'exports'`
				)?.seq ?? 0) + 1;
			const fields = {
				id,
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
			const card = writeDatasetCard({
				record: fields,
				options,
				batches: found,
				warnings,
				counts,
				agreement,
				createdBy: actor?.username ?? null
			});
			const record = tx
				.insert(exportRuns)
				.values({ ...fields, card })
				.returning()
				.get();
			for (const batch of found) {
				tx.insert(exportBatches).values({ exportId: record.id, batchId: batch.id }).run();
			}
			recordAudit(tx, {
				actorId,
				action: 'export.create',
				targetType: 'export',
				targetId: record.id,
				newValue: { format: options.format, batches: options.batchIds, rows: counts.rows, sha256 }
			});
			return record;
		});
	} catch (e) {
		file.destroy();
		await rm(temporary, { force: true });
		throw e;
	}
}

export function listExports(db: DB, limit = 100) {
	return db
		.select({
			id: exportRuns.id,
			format: exportRuns.format,
			settings: exportRuns.settings,
			rowCount: exportRuns.rowCount,
			itemsIn: exportRuns.itemsIn,
			sha256: exportRuns.sha256,
			bytes: exportRuns.bytes,
			createdAt: exportRuns.createdAt,
			createdBy: users.username,
			batches: sql<string>`(select group_concat(b.name, ', ') from export_batches eb join batches b on b.id = eb.batch_id where eb.export_id = ${exportRuns.id})`
		})
		.from(exportRuns)
		.leftJoin(users, eq(users.id, exportRuns.createdBy))
		.orderBy(desc(exportRuns.id))
		.limit(limit)
		.all();
}

export function getExport(db: DB, id: number) {
	const record = db
		.select({ run: exportRuns, createdBy: users.username })
		.from(exportRuns)
		.leftJoin(users, eq(users.id, exportRuns.createdBy))
		.where(eq(exportRuns.id, id))
		.get();
	if (!record) return null;
	const exported = db
		.select({ id: batches.id, name: batches.name })
		.from(exportBatches)
		.innerJoin(batches, eq(batches.id, exportBatches.batchId))
		.where(eq(exportBatches.exportId, id))
		.orderBy(batches.id)
		.all();
	return { ...record.run, createdBy: record.createdBy, batches: exported };
}

/** The stored file, exactly as written: the same bytes on every download. */
export function openExportFile(record: Pick<ExportRun, 'fileName'>, dir = exportsDir()): Readable {
	return createReadStream(join(dir, record.fileName));
}

export function exportContentType(format: string): string {
	return format === 'reviews-csv'
		? 'text/csv; charset=utf-8'
		: 'application/x-ndjson; charset=utf-8';
}

/** True once any export has read the batch: from then on its adjudications are final. */
export function isBatchExported(db: DB, batchId: number): boolean {
	return (
		(db
			.select({ n: sql<number>`count(*)` })
			.from(exportBatches)
			.where(eq(exportBatches.batchId, batchId))
			.get()?.n ?? 0) > 0
	);
}

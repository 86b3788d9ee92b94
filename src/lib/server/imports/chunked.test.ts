import { makeTempDir } from '../../../../tests/support/temp';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { waitFor } from '../../../../tests/support/wait';
import {
	deadPid,
	plantImportingBatch,
	writeNativeFile
} from '../../../../tests/support/import-leftovers';
import { findBatchByName, getBatch, listBatches } from '../batches';
import { listBatchProgress } from '../dashboard';
import { openDatabase, type AppDB } from '../db';
import { batches, imports, items, responses } from '../db/schema';
import { resolveExportBatches } from '../exports';
import { assignResearcher } from '../reviews';
import { inImmediateTransaction } from './chunks';
import { removeAbandonedImports, THIS_WRITER } from './leftovers';
import { importFile } from './run';
import type { ParsedItem } from './types';
import { writeBatch, type WriteContext } from './writer';
import { DEFAULT_BATCH_SETTINGS } from './settings';

const count = (
	db: AppDB,
	table: typeof batches | typeof items | typeof responses | typeof imports
) =>
	db
		.select({ n: sql<number>`count(*)` })
		.from(table)
		.get()!.n;

function importingBatch(db: AppDB) {
	return db.select().from(batches).where(eq(batches.status, 'importing')).get();
}

describe('a chunked import', () => {
	it('writes many chunks into a batch nobody sees until the last one makes it a draft', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		const researcher = await makeUser(db, { role: 'researcher' });
		const running = importFile(db, writeNativeFile(20_000), { actorId: lead.id, batch: 'Big' });

		const { id } = await waitFor(() => importingBatch(db), 'the batch being imported', {
			timeoutMs: 30_000,
			everyMs: 1
		});
		// Seen by nothing while it is written.
		expect(listBatches(db).map((b) => b.id)).not.toContain(id);
		expect(getBatch(db, id)).toBeUndefined();
		expect(findBatchByName(db, 'Big')).toBeUndefined();
		expect(listBatchProgress(db).map((b) => b.id)).not.toContain(id);
		expect(() => resolveExportBatches(db, { batchIds: [id], lockedOnly: false })).toThrow(
			/no batch/
		);
		expect(() => assignResearcher(db, lead.id, id, researcher.id, null)).toThrow(/Choose a batch/);
		const writer = db.select().from(imports).where(eq(imports.batchId, id)).get()!;
		expect(writer).toMatchObject({ writerPid: process.pid, writerHost: hostname() });
		// Partly written: the items go in chunk after chunk.
		expect(count(db, items)).toBeLessThan(20_000);

		const result = await running;
		expect(result).toMatchObject({ ok: true, batchId: id, items: 20_000, responses: 40_000 });
		expect(getBatch(db, id)?.batch.status).toBe('draft');
		expect(db.select().from(imports).where(eq(imports.batchId, id)).get()).toMatchObject({
			itemCount: 20_000,
			responseCount: 40_000,
			writerPid: null,
			heartbeatAt: null
		});
	});

	it('removes its batch when it fails half-way, and leaves nothing behind', async () => {
		const db = createTestDb();
		const ctx: WriteContext = {
			db,
			sha: 'a'.repeat(64),
			fileName: 'x.jsonl',
			format: 'native',
			actorId: null,
			constitutionName: 'c',
			batchName: 'half',
			settings: DEFAULT_BATCH_SETTINGS
		};
		function* failing(): Generator<ParsedItem> {
			for (let line = 1; line <= 30_000; line++) {
				if (line === 25_000) throw new Error('the disk is gone');
				yield {
					line,
					traitKey: 'warmth',
					prompt: [{ role: 'user', content: `p${line}` }],
					responses: [{ content: 'a' }, { content: 'b' }]
				};
			}
		}
		const warmth = [{ key: 'warmth', title: 'warmth', description: '' }];
		await expect(writeBatch(ctx, warmth, failing())).rejects.toThrow('the disk is gone');
		expect([
			count(db, batches),
			count(db, items),
			count(db, responses),
			count(db, imports)
		]).toEqual([0, 0, 0, 0]);
	});
});

describe('batches left importing by an import that died', () => {
	// Each removal is logged; not here.
	beforeEach(() => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	it('are removed with their items and import record; live ones are kept', async () => {
		const db = createTestDb();
		const dead = plantImportingBatch(db, { pid: deadPid() }, { sha: 'a'.repeat(64) });
		const earlierSelf = plantImportingBatch(
			db,
			{ pid: process.pid, startedAt: THIS_WRITER.startedAt - 60_000 },
			{ sha: 'b'.repeat(64) }
		);
		const silent = plantImportingBatch(
			db,
			{ pid: process.ppid, heartbeatAt: 1 },
			{ sha: 'c'.repeat(64) }
		);
		const otherHost = plantImportingBatch(
			db,
			{ pid: 1, host: 'elsewhere' },
			{ sha: 'd'.repeat(64) }
		);
		const live = plantImportingBatch(db, { pid: process.ppid }, { sha: 'e'.repeat(64) });

		expect(await removeAbandonedImports(db)).toBe(3);
		const left = db
			.select({ id: batches.id })
			.from(batches)
			.all()
			.map((b) => b.id);
		expect(left).toEqual([otherHost, live]);
		for (const id of [dead, earlierSelf, silent]) {
			expect(db.select().from(items).where(eq(items.batchId, id)).all()).toEqual([]);
			expect(db.select().from(imports).where(eq(imports.batchId, id)).all()).toEqual([]);
		}
		expect(count(db, responses)).toBe(2 * 1200);
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.$client.pragma('foreign_key_check')).toEqual([]);
	});

	it('do not block importing the same file again; a live import of it is refused', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		const path = writeNativeFile(50);
		const sha = createHash('sha256').update(readFileSync(path)).digest('hex');

		const live = plantImportingBatch(db, { pid: process.ppid }, { sha });
		const refused = await importFile(db, path, { actorId: lead.id, batch: 'again' });
		expect(refused).toMatchObject({ ok: false, code: 'already_imported' });
		expect(refused.ok || refused.message).toContain('being imported right now');

		db.$client.prepare(`UPDATE imports SET writer_pid = ? WHERE batch_id = ?`).run(deadPid(), live);
		const again = await importFile(db, path, { actorId: lead.id, batch: 'again' });
		expect(again).toMatchObject({ ok: true, items: 50 });
		expect(db.select().from(batches).where(eq(batches.id, live)).get()).toBeUndefined();
	});
});

describe('immediate transactions', () => {
	it('wait their turn while another process writes, without blocking the event loop', async () => {
		const path = join(makeTempDir('busy-'), 'busy.db');
		const db = openDatabase(path);
		const other = new Database(path);
		other.prepare('BEGIN IMMEDIATE').run();
		let ticks = 0;
		const ticker = setInterval(() => (ticks += 1), 5);
		const write = inImmediateTransaction(db.$client, () =>
			db.$client.prepare(`INSERT INTO constitutions (name) VALUES ('waited')`).run()
		);
		// The write waits for the lock while timers go on firing: the event loop is free.
		await waitFor(() => ticks > 5, 'the event loop to run while the write waits');
		other.prepare('COMMIT').run();
		await write;
		clearInterval(ticker);
		expect(ticks).toBeGreaterThan(5);
		expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
		expect(db.$client.prepare(`SELECT name FROM constitutions`).pluck().all()).toEqual(['waited']);
		other.close();
		db.$client.close();
	});

	it('skip the sync only when asked, and give the connection back as durable as it was', async () => {
		const db = openDatabase(join(makeTempDir('unsynced-'), 'unsynced.db'));
		const client = db.$client;
		const FULL = 2;
		const NORMAL = 1;
		const seen: number[] = [];
		const look = () => seen.push(client.pragma('synchronous', { simple: true }) as number);
		await inImmediateTransaction(client, look);
		await inImmediateTransaction(client, look, { unsynced: true });
		await expect(
			inImmediateTransaction(
				client,
				() => {
					look();
					throw new Error('a bad chunk');
				},
				{ unsynced: true }
			)
		).rejects.toThrow('a bad chunk');
		expect(seen).toEqual([FULL, NORMAL, NORMAL]);
		expect(client.pragma('synchronous', { simple: true })).toBe(FULL);
		client.close();
	});
});

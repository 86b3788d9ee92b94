import { makeTempDir } from '../../../../tests/support/temp';
import { eq } from 'drizzle-orm';
import {
	appendFileSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { createTestDb } from '../../../../tests/support/db';
import type { AppDB } from '../db';
import { exports } from '../db/schema';
import { exportOptionsSchema, removeExportLeftovers, runExport, verifyExport } from './index';

// The folder is flushed with fsyncSync (inside the record's transaction): watched here.
const watch = vi.hoisted(() => ({ folderSynced: () => {} }));
vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const fsyncSync = (fd: number) => {
		watch.folderSynced();
		fs.fsyncSync(fd);
	};
	return { ...fs, fsyncSync, default: { ...fs, fsyncSync } };
});

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;
let dir: string;

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildExportBatch(db, { lock: true });
	dir = makeTempDir('exports-durability-');
});
afterEach(() => {
	vi.restoreAllMocks();
	watch.folderSynced = () => {};
	rmSync(dir, { recursive: true, force: true });
});

const run = (settings: Parameters<typeof runExport>[3] = {}) =>
	runExport(
		db,
		fixture.lead.id,
		exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'trl' }),
		{ dir, ...settings }
	);

const recordCount = () => db.select().from(exports).all().length;

describe('writing an export file', () => {
	it('flushes the file, then puts it in place and flushes the folder, before the record', async () => {
		const steps: { step: string; files: string[]; records: number }[] = [];
		const note = (step: string) =>
			steps.push({ step, files: readdirSync(dir), records: recordCount() });
		const probe = await open(join(dir, 'probe'), 'w');
		const fileHandle = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
		await probe.close();
		rmSync(join(dir, 'probe'));
		const sync = fileHandle.sync;
		vi.spyOn(fileHandle, 'sync').mockImplementation(function (this: unknown) {
			note('file');
			return sync.call(this);
		});
		watch.folderSynced = () => note('folder');

		const record = await run();
		expect(steps).toEqual([
			{ step: 'file', files: [expect.stringMatching(/^\.writing-\d+-[0-9a-f]+$/)], records: 0 },
			{ step: 'folder', files: [record.fileName], records: 0 }
		]);
		expect(recordCount()).toBe(1);
	});

	it('removes the file when its record cannot be written', async () => {
		db.$client.exec(
			`CREATE TEMP TRIGGER refuse_export BEFORE INSERT ON exports BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		);
		await expect(run()).rejects.toThrow(/disk full/);
		expect(readdirSync(dir)).toEqual([]);
		expect(recordCount()).toBe(0);
	});
});

describe('cleaning the exports folder at start', () => {
	const hourAgo = (name: string) => {
		const then = new Date(Date.now() - 60 * 60_000);
		utimesSync(join(dir, name), then, then);
	};

	it('removes what interrupted exports left, and nothing else', async () => {
		const recorded = await run();
		const files = {
			// A process that is gone, and a previous process that had this one's pid.
			deadWriter: '.writing-999999999-0a1b2c3d4e5f6a7b',
			samePid: `.writing-${process.pid}-1a2b3c4d5e6f7a8b`,
			// Another live process, still writing: kept.
			liveWriter: `.writing-${process.ppid}-2a3b4c5d6e7f8a9b`,
			// Names from before they carried a pid: removed only once nothing writes to them.
			oldUnnamed: '.writing-3a4b5c6d7e8f9a0b',
			freshUnnamed: '.writing-4a5b6c7d8e9f0a1b',
			// Put in place, but the record never committed.
			unrecorded: '2026-01-02T03-04-05-678Z-trl-0123456789ab.jsonl',
			// Not ours at all.
			other: 'notes.jsonl'
		};
		for (const name of Object.values(files)) writeFileSync(join(dir, name), 'x');
		hourAgo(files.oldUnnamed);
		// A folder, even one named like an export, is not a file this app leaves behind.
		const folder = '2026-01-02T03-04-05-678Z-dataset-0123456789ab.d';
		mkdirSync(join(dir, folder));

		const removed = removeExportLeftovers(db, dir);
		expect(removed.sort()).toEqual(
			[files.deadWriter, files.samePid, files.oldUnnamed, files.unrecorded].sort()
		);
		expect(readdirSync(dir).sort()).toEqual(
			[recorded.fileName, files.liveWriter, files.freshUnnamed, files.other, folder].sort()
		);
	});

	it('leaves alone an export this process is writing', async () => {
		let removedMidway: string[] = [];
		const record = await run({
			onProgress: () => (removedMidway = removeExportLeftovers(db, dir))
		});
		expect(removedMidway).toEqual([]);
		expect(readdirSync(dir)).toEqual([record.fileName]);
	});
});

describe('verifying an export', () => {
	it('finds the file as recorded, then says what differs', async () => {
		const record = await run();
		expect(await verifyExport(db, record.id, dir)).toEqual({
			id: record.id,
			fileName: record.fileName,
			problems: []
		});
		const path = join(dir, record.fileName);
		const bytes = readFileSync(path);
		appendFileSync(path, '\n');
		expect((await verifyExport(db, record.id, dir))!.problems).toEqual([
			`The file has ${(record.bytes + 1).toLocaleString('en')} bytes; the record says ${record.bytes.toLocaleString('en')}.`,
			expect.stringMatching(/^The file's SHA-256 is [0-9a-f]{64}; the record says /)
		]);
		// Same size, one byte changed: the hash still tells.
		bytes[0] ^= 1;
		writeFileSync(path, bytes);
		expect((await verifyExport(db, record.id, dir))!.problems).toEqual([
			expect.stringContaining("The file's SHA-256")
		]);
		rmSync(path);
		expect((await verifyExport(db, record.id, dir))!.problems).toEqual([
			`The file ${record.fileName} is missing from ${dir}.`
		]);
		expect(await verifyExport(db, record.id + 1, dir)).toBeNull();
	});

	it('checks the dataset card against the record', async () => {
		const record = await run();
		// Records are immutable; only a tampered database could change a card.
		const triggers = db.$client
			.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exports'`)
			.all() as { name: string }[];
		for (const { name } of triggers) db.$client.exec(`DROP TRIGGER "${name}"`);
		db.update(exports)
			.set({ card: record.card.replace(record.sha256, '0'.repeat(64)) })
			.where(eq(exports.id, record.id))
			.run();
		expect((await verifyExport(db, record.id, dir))!.problems).toEqual([
			'The dataset card does not give the recorded SHA-256.'
		]);
	});
});

// A backup taken through the CLI while researchers submit reviews over HTTP, restored into a
// fresh folder and served again: nothing acknowledged before it started is missing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/lib/server/backup';
import { openDatabase, type AppDB } from '../../src/lib/server/db';
import { launchApp, runAdmin, type AppProcess } from '../support/app-process';
import { postAction, sessionCookieFor } from '../support/http';
import { openLargeBatch, ReviewLoad } from '../support/review-load';

const dir = mkdtempSync(join(tmpdir(), 'backup-test-'));
const live = {
	DATABASE_PATH: join(dir, 'live', 'app.db'),
	EXPORTS_DIR: join(dir, 'live', 'exports')
};
const restored = {
	DATABASE_PATH: join(dir, 'restored', 'app.db'),
	EXPORTS_DIR: join(dir, 'restored', 'exports')
};
const backupDir = join(dir, 'backup');
const apps: AppProcess[] = [];
const dbs: AppDB[] = [];

afterAll(async () => {
	for (const app of apps) await app.kill();
	for (const db of dbs) db.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

function open(path: string): AppDB {
	const db = openDatabase(path);
	dbs.push(db);
	return db;
}

async function start(env: typeof live): Promise<AppProcess> {
	const app = await launchApp({ dbPath: env.DATABASE_PATH, env });
	apps.push(app);
	return app;
}

describe('backup and restore', () => {
	it('restores, from a backup taken under load, every submit acknowledged before it began', async () => {
		const db = open(live.DATABASE_PATH);
		const { lead, batchId, researchers } = await openLargeBatch(db, {
			items: 200,
			researchers: 8,
			overlap: 2
		});
		const app = await start(live);
		const leadCookie = sessionCookieFor(db, lead.id);
		const load = new ReviewLoad(db, () => app.url, batchId, researchers);
		let backup;
		let startedAt;
		try {
			await load.waitForMore(20);
			// An export file for the backup to carry, run while the reviews go on.
			const exported = await postAction(
				app.url,
				'/exports/new?/run',
				{ batchIds: String(batchId), format: 'trl', minReviews: '1' },
				leadCookie
			);
			expect(exported).toMatchObject({ type: 'redirect' });
			await load.waitForMore(10);
			startedAt = Date.now();
			backup = await runAdmin(['backup', '--out', backupDir], live);
			await load.waitForMore(10);
		} finally {
			await load.stop();
		}
		expect(backup.output).toMatch(/Backed up .*the database and 1 export file,/);
		expect(backup.code).toBe(0);
		const before = load.acknowledged.filter((a) => a.at < startedAt);

		const restore = await runAdmin(['restore', backupDir], restored);
		expect(restore.output).toMatch(/every file matched its SHA-256/);
		expect(restore.code).toBe(0);
		const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
		const copy = open(restored.DATABASE_PATH);
		const c = copy.$client;
		const count = (table: string) => c.prepare(`SELECT count(*) FROM "${table}"`).pluck().get();
		for (const [table, rows] of Object.entries(manifest.tables))
			expect(count(table), table).toBe(rows);
		const again = await start(restored);
		// Started, the app keeps the counts, but for the dashboard's tallies: its refresher brings
		// in, in the background, the items that submits marked stale before the backup.
		const derived = (table: string) => table.endsWith('_tallies') || table === 'model_summaries';
		for (const [table, rows] of Object.entries(manifest.tables)) {
			if (!derived(table)) expect(count(table), table).toBe(rows);
		}
		const stored = c.prepare(
			`SELECT 1 FROM reviews WHERE user_id = ? AND item_id = ? AND status = 'submitted'`
		);
		expect(before.filter((a) => !stored.get(a.userId, a.itemId))).toEqual([]);
		expect(c.pragma('integrity_check', { simple: true })).toBe('ok');

		const records = c.prepare('SELECT id, sha256 FROM exports').all() as {
			id: number;
			sha256: string;
		}[];
		expect(records).toHaveLength(1);
		for (const record of records) {
			const res = await fetch(`${again.url}/exports/${record.id}/download`, {
				headers: { cookie: sessionCookieFor(copy, lead.id) }
			});
			expect(res.status).toBe(200);
			const body = Buffer.from(await res.arrayBuffer());
			expect(createHash('sha256').update(body).digest('hex')).toBe(record.sha256);
		}

		// The restored place is in use now: restoring over it needs --force.
		const refused = await runAdmin(['restore', backupDir], restored);
		expect(refused.output).toMatch(/--force/);
		expect(refused.code).toBe(1);
	});
});

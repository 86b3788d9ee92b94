// Kill -9 the server again and again while researchers submit reviews: every submit it
// acknowledged must be in the database when it comes back, and nothing else may break.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/lib/prng';
import { openDatabase, type AppDB } from '../../src/lib/server/db';
import { launchApp, type AppProcess } from '../support/app-process';
import { openLargeBatch, ReviewLoad, type Acknowledged } from '../support/review-load';

const KILLS = 6;
const dir = mkdtempSync(join(tmpdir(), 'crash-test-'));
const dbPath = join(dir, 'app.db');
let app: AppProcess | undefined;
let db: AppDB | undefined;

afterAll(async () => {
	await app?.kill('SIGTERM');
	db?.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

/** What must hold after any crash, read with a connection of the test's own. */
function checkDatabase(db: AppDB, acknowledged: Acknowledged[]) {
	const c = db.$client;
	const stored = c.prepare(
		`SELECT 1 FROM reviews WHERE user_id = ? AND item_id = ? AND status = 'submitted'`
	);
	const lost = acknowledged.filter((a) => !stored.get(a.userId, a.itemId));
	const overfull = c
		.prepare(
			`SELECT i.id FROM items i JOIN batches b ON b.id = i.batch_id
			  WHERE (SELECT count(*) FROM reviews r WHERE r.item_id = i.id AND r.status = 'submitted') > b.overlap`
		)
		.pluck()
		.all();
	// The queue trusts this counter; a crash between a review and its count would skew it.
	const miscounted = c
		.prepare(
			`SELECT i.id FROM items i
			  WHERE i.submitted_count != (SELECT count(*) FROM reviews r WHERE r.item_id = i.id AND r.status = 'submitted')`
		)
		.pluck()
		.all();
	return {
		lost,
		overfull,
		miscounted,
		integrity: c.pragma('integrity_check', { simple: true })
	};
}

describe('the server killed with SIGKILL under concurrent reviews', () => {
	it(`loses no acknowledged submit and breaks nothing across ${KILLS} crashes`, async () => {
		db = openDatabase(dbPath);
		const { batchId, researchers } = await openLargeBatch(db, {
			items: 400,
			researchers: 12,
			overlap: 2
		});
		app = await launchApp({ dbPath });
		const port = app.port;
		const load = new ReviewLoad(db, () => app!.url, batchId, researchers);
		const random = mulberry32(12);
		try {
			for (let kill = 1; kill <= KILLS; kill++) {
				// A random moment: after a random number of acknowledged submits, with every
				// researcher somewhere between a claim, a save and a submit.
				await load.waitForMore(5 + Math.floor(random() * 40));
				load.pause();
				await app.kill('SIGKILL');
				app = await launchApp({ dbPath, port });
				const after = checkDatabase(db, load.acknowledged);
				expect(after, `after crash ${kill}\n${app.logs()}`).toEqual({
					lost: [],
					overfull: [],
					miscounted: [],
					integrity: 'ok'
				});
				load.resume();
			}
			// The restarted server goes on taking reviews.
			await load.waitForMore(5);
		} finally {
			await load.stop();
		}
		expect(checkDatabase(db, load.acknowledged)).toEqual({
			lost: [],
			overfull: [],
			miscounted: [],
			integrity: 'ok'
		});
		expect(load.acknowledged.length).toBeGreaterThanOrEqual(KILLS * 5 + 5);
	}, 85_000);
});

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { waitFor } from '../../../../tests/support/wait';
import { startCheckpointer, withCheckpointer } from './checkpointer';
import { openDatabase } from './index';

const PAGE = 4096;
const FINISH_FRAMES = 64;
/** Write transactions in a row: each writes several pages, so a burst fills a log. */
const BURST = 40;
/** Writes while waiting for the worker, so that it copies back a log still being written. */
const TRICKLE = 8;
const REWINDS = 16;

describe('startCheckpointer', () => {
	it('rewinds the log under steady writes, so it stays short, with no checkpoint of its own on the server', async () => {
		const path = join(makeTempDir('ckpt-'), 'app.db');
		const client = openDatabase(path, { migrate: false }).$client;
		// Thousands of commits: what is measured is the log, not how fast the disk syncs.
		client.pragma('synchronous = NORMAL');
		client.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
		const checkpointer = startCheckpointer(client, { intervalMs: 25, finishFrames: FINISH_FRAMES });
		try {
			expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(FINISH_FRAMES * 3);
			// Only the checkpointer may copy the log back: without it the log would hold every write.
			client.pragma('wal_autocheckpoint = 0');
			const insert = client.prepare('INSERT INTO notes (body) VALUES (?)');
			const write = client.transaction(() => {
				for (let i = 0; i < 4; i++) insert.run(Buffer.alloc(PAGE / 2, i));
			});
			const logBytes = () => statSync(`${path}-wal`).size;
			await waitFor(() => checkpointer.stats().rounds > 0, 'the worker’s first round');

			// The server writes a burst, then goes on writing a little while it waits for the
			// worker's next round, as a busy server does between requests. A round takes what the
			// machine gives it, so wait for it rather than race it.
			let writes = 0;
			let burstBytes = 0;
			const deadline = Date.now() + 45_000;
			while (checkpointer.stats().finished < REWINDS && Date.now() < deadline) {
				const round = checkpointer.stats().rounds;
				for (let i = 0; i < BURST; i++) write();
				writes += BURST;
				burstBytes ||= logBytes();
				let trickle = 0;
				await waitFor(
					() => {
						if (trickle < TRICKLE) {
							write();
							trickle += 1;
						}
						return checkpointer.stats().rounds > round;
					},
					'the worker’s next round',
					{ everyMs: 1 }
				);
				writes += trickle;
			}

			// Finished again and again, so the log was rewound: the file (which only grows) never
			// held more than a few bursts, while all of them went through it. The first burst
			// measures how much log a write takes.
			expect(checkpointer.stats().finished).toBeGreaterThanOrEqual(REWINDS);
			const written = writes * (burstBytes / BURST);
			expect(logBytes()).toBeLessThan(written / 2);
			const { n } = client.prepare('SELECT count(*) AS n FROM notes').get() as { n: number };
			expect(n).toBe(writes * 4);
			expect(client.pragma('integrity_check', { simple: true })).toBe('ok');
		} finally {
			await checkpointer.stop();
			client.close();
		}
	}, 60_000);
});

describe('withCheckpointer', () => {
	it('gives a long write a worker that copies the log back, unless the connection has one', async () => {
		const path = join(makeTempDir('ckpt-with-'), 'cli.db');
		const client = openDatabase(path, { migrate: false }).$client;
		client.pragma('synchronous = NORMAL');
		client.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
		const automatic = client.pragma('wal_autocheckpoint', { simple: true });
		const insert = client.prepare('INSERT INTO notes (body) VALUES (?)');
		const fileBytes = () => statSync(path).size;
		const before = fileBytes();
		// SQLite's own checkpoints are pushed out past what is written here: only the worker can
		// copy the log back into the file, which then grows.
		const grown = await withCheckpointer(client, async () => {
			expect(client.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(2000);
			for (let i = 0; i < 2000; i++) insert.run(Buffer.alloc(PAGE, i % 251));
			return waitFor(() => fileBytes() > before + 1000 * PAGE, 'the worker to copy the log back');
		});
		expect(grown).toBe(true);
		expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(automatic);

		// The server's connection has its worker already: no second one.
		const server = startCheckpointer(client, { intervalMs: 25 });
		try {
			const during = client.pragma('wal_autocheckpoint', { simple: true });
			await withCheckpointer(client, async () => {
				expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(during);
			});
			expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(during);
		} finally {
			await server.stop();
			client.close();
		}
	});
});

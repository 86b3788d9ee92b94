import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { openDatabase } from './index';

const PAGE = 4096;

describe('startCheckpointer', () => {
	it('keeps the log short under steady writes, with no checkpoint of its own on the server', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'app.db');
		const client = openDatabase(path, { migrate: false }).$client;
		// Thousands of commits: what is measured is the log, not how fast the disk syncs.
		client.pragma('synchronous = NORMAL');
		client.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
		const checkpointer = startCheckpointer(client, { intervalMs: 25, finishFrames: 64 });
		expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(192);
		// Only the checkpointer may copy the log back: without it the log would hold every write.
		client.pragma('wal_autocheckpoint = 0');
		const insert = client.prepare('INSERT INTO notes (body) VALUES (?)');
		const write = client.transaction(() => {
			for (let i = 0; i < 4; i++) insert.run(Buffer.alloc(PAGE / 2, i));
		});
		// The worker takes a moment to start.
		while (checkpointer.stats().rounds === 0) await new Promise((r) => setTimeout(r, 10));
		let writes = 0;
		let largestLog = 0;
		// Write 32 MB or more, letting the worker's messages in between, until the log has been
		// rewound a few times (or give up after a generous number of writes).
		while ((checkpointer.stats().finished < 5 || writes < 4000) && writes < 8000) {
			write();
			writes += 1;
			if (writes % 8 === 0) {
				largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
				await new Promise((resolve) => setImmediate(resolve));
			}
		}
		await checkpointer.stop();

		expect(checkpointer.stats().finished).toBeGreaterThanOrEqual(5);
		const written = writes * 2 * PAGE;
		// Rewound: the log file stopped growing long before it held everything written.
		expect(largestLog).toBeLessThan(written / 2);
		const { n } = client.prepare('SELECT count(*) AS n FROM notes').get() as { n: number };
		expect(n).toBe(writes * 4);
		expect(client.pragma('integrity_check', { simple: true })).toBe('ok');
		client.close();
	});
});

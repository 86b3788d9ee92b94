import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { openDatabase } from './index';

describe('the checkpoint worker', () => {
	it('copies the write-ahead log into the database file off the request path', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'c.db');
		const db = openDatabase(path);
		const stop = startCheckpointer(db.$client, path, 50);
		expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
		const before = statSync(path).size;
		const insert = db.$client.prepare(
			'INSERT INTO audit_events (action, target_type, created_at) VALUES (?, ?, ?)'
		);
		db.$client.transaction(() => {
			for (let i = 0; i < 5000; i++) insert.run('x'.repeat(200), 'bulk', i);
		})();
		await expect
			.poll(() => statSync(path).size, { timeout: 5000 })
			.toBeGreaterThan(before + 500_000);
		stop();
		db.$client.close();
	});
});

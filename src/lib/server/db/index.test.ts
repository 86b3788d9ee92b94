import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { openDatabase } from './index';

describe('openDatabase', () => {
	it('creates the folder, applies every migration and the connection settings', () => {
		const path = join(makeTempDir('db-'), 'nested', 'folder', 'app.db');
		const db = openDatabase(path);
		const pragma = (name: string) => db.$client.pragma(name, { simple: true });
		expect(pragma('journal_mode')).toBe('wal');
		expect(pragma('foreign_keys')).toBe(1);
		expect(pragma('busy_timeout')).toBe(5000);
		expect(pragma('synchronous')).toBe(2); // FULL: every commit is on disk before it returns
		const tables = db.$client
			.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
			.all()
			.map((t) => (t as { name: string }).name);
		for (const table of [
			'users',
			'sessions',
			'audit_events',
			'batches',
			'items',
			'responses',
			'reviews',
			'leases'
		]) {
			expect(tables).toContain(table);
		}
		db.$client.close();
		// Opening again applies nothing twice.
		expect(() => openDatabase(path).$client.close()).not.toThrow();
	});
});

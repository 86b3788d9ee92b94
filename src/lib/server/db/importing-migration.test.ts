import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { findMigrationsFolder, openDatabase } from './index';

/**
 * The migration that lets a batch be `importing` rebuilds the batches table (SQLite cannot
 * change a CHECK constraint in place). Eight tables reference batches, most with ON DELETE
 * CASCADE, and the migrator runs inside a transaction, where `PRAGMA foreign_keys=OFF` does
 * nothing: a plain rebuild would empty them. This migrates a database full of data.
 */
const TAG = 'importing_batches';
const TABLES = [
	'batches',
	'items',
	'responses',
	'imports',
	'assignments',
	'leases',
	'reviews',
	'review_responses',
	'adjudications',
	'exports',
	'export_batches',
	'audit_events'
];

/** The migrations folder as it was before the `importing` status. */
function migrationsBefore(): string {
	const dir = join(mkdtempSync(join(tmpdir(), 'migrations-')), 'migrations');
	cpSync(findMigrationsFolder(), dir, { recursive: true });
	const journalPath = join(dir, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
		entries: { tag: string }[];
	};
	const at = journal.entries.findIndex((e) => e.tag.endsWith(TAG));
	expect(at).toBeGreaterThan(0);
	journal.entries = journal.entries.slice(0, at);
	writeFileSync(journalPath, JSON.stringify(journal));
	return dir;
}

const SEED = `
INSERT INTO users (id, username, display_name, password_hash, role) VALUES (1, 'lead', 'Lead', 'x', 'lead');
INSERT INTO constitutions (id, name) VALUES (1, 'c');
INSERT INTO traits (id, constitution_id, key) VALUES (1, 1, 'warmth');
INSERT INTO trait_versions (id, trait_id, version, title) VALUES (1, 1, 1, 'Warmth');
INSERT INTO batches (id, constitution_id, name, status, created_by) VALUES (1, 1, 'b1', 'locked', 1), (2, 1, 'b2', 'open', 1);
INSERT INTO imports (file_sha256, file_name, format, constitution_id, batch_id, item_count, response_count)
  VALUES ('aa', 'b1.jsonl', 'native', 1, 1, 2, 4), ('bb', 'b2.jsonl', 'native', 1, 2, 1, 2);
INSERT INTO items (id, batch_id, trait_id, trait_version_id, external_id, prompt, prompt_text, response_count, source_line, submitted_count)
  VALUES (1, 1, 1, 1, 'a', '[]', 'a', 2, 1, 1), (2, 1, 1, 1, 'b', '[]', 'b', 2, 2, 0), (3, 2, 1, 1, 'c', '[]', 'c', 2, 1, 0);
INSERT INTO responses (id, item_id, position, content)
  VALUES (1, 1, 0, 'x'), (2, 1, 1, 'y'), (3, 2, 0, 'x'), (4, 2, 1, 'y'), (5, 3, 0, 'x'), (6, 3, 1, 'y');
INSERT INTO assignments (batch_id, user_id) VALUES (1, 1), (2, 1);
INSERT INTO leases (item_id, user_id, batch_id, claimed_at, expires_at) VALUES (3, 1, 2, 0, 9999999999999);
INSERT INTO reviews (id, item_id, batch_id, user_id, status, trait_version_id, shown_order, started_at, updated_at, submitted_at)
  VALUES (1, 1, 1, 1, 'submitted', 1, '[1,2]', 0, 0, 0);
INSERT INTO review_responses (review_id, response_id, score, rank) VALUES (1, 1, 7, 1), (1, 2, 3, 2);
INSERT INTO adjudications (item_id, batch_id, decision, note, decided_at) VALUES (2, 1, 'exclude', 'n', 0);
INSERT INTO exports (id, format, settings, row_count, items_in, items_out, sha256, bytes, file_name, card, created_at)
  VALUES (1, 'trl', '{}', 1, 2, '{}', 'cc', 10, 'e.jsonl', '# card', 0);
INSERT INTO export_batches (export_id, batch_id) VALUES (1, 1);
INSERT INTO audit_events (action, target_type, target_id, created_at) VALUES ('batch.lock', 'batch', '1', 0);
`;

function countRows(db: ReturnType<typeof openDatabase>) {
	return Object.fromEntries(
		TABLES.map((t) => [
			t,
			(db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
		])
	);
}

describe('the migration that adds the importing status', () => {
	it('keeps every row of every table that references batches, and the foreign keys on', () => {
		const path = join(mkdtempSync(join(tmpdir(), 'migrate-')), 'old.db');
		const old = openDatabase(path, { migrate: false });
		migrate(old, { migrationsFolder: migrationsBefore() });
		old.$client.exec(SEED);
		const before = countRows(old);
		expect(Object.values(before).every((n) => n > 0)).toBe(true);
		old.$client.close();

		const db = openDatabase(path);
		expect(countRows(db)).toEqual(before);
		expect(db.$client.pragma('foreign_key_check')).toEqual([]);
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		const status = db.$client.prepare(`SELECT id, status FROM batches ORDER BY id`).all();
		expect(status).toEqual([
			{ id: 1, status: 'locked' },
			{ id: 2, status: 'open' }
		]);

		// The new status is allowed, an unknown one still is not, and the cascade still works.
		db.$client.exec(
			`INSERT INTO batches (id, constitution_id, name, status) VALUES (3, 1, 'b3', 'importing')`
		);
		expect(() =>
			db.$client.exec(
				`INSERT INTO batches (constitution_id, name, status) VALUES (1, 'b4', 'gone')`
			)
		).toThrow(/CHECK/);
		db.$client.exec(`DELETE FROM leases; DELETE FROM batches WHERE id = 2`);
		expect(db.$client.prepare(`SELECT count(*) AS n FROM items WHERE batch_id = 2`).get()).toEqual({
			n: 0
		});
		db.$client.close();
	});
});

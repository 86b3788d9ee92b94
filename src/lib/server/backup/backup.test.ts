import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type AppDB } from '../db';
import { DomainError } from '../errors';
import { backupDatabase, MANIFEST_FILE, restoreBackup, type Manifest } from './index';

let users = 0;
/** A user written straight in the database (the factory's password hashing is slow). */
function addUser(db: AppDB, role = 'researcher') {
	users += 1;
	db.$client
		.prepare(
			`INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, 'not a hash', ?)`
		)
		.run(`user-${users}`, `User ${users}`, role);
}

/** A database with the real migrations and a few users, and an exports folder with files. */
async function appData() {
	const root = mkdtempSync(join(tmpdir(), 'backup-'));
	const locations = {
		databasePath: join(root, 'data', 'app.db'),
		exportsDir: join(root, 'exports')
	};
	const db = openDatabase(locations.databasePath);
	for (let i = 0; i < 3; i++) addUser(db);
	mkdirSync(join(locations.exportsDir, 'folder'), { recursive: true });
	writeFileSync(join(locations.exportsDir, 'pairs.jsonl'), '{"chosen":"a","rejected":"b"}\n');
	writeFileSync(join(locations.exportsDir, 'folder', 'README.md'), '# card\n');
	// An export still being written is not part of any backup.
	writeFileSync(join(locations.exportsDir, '.writing-0123'), 'half a file');
	return { root, locations, db };
}

const count = (db: AppDB, table: string) =>
	db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('backupDatabase', () => {
	it('copies the database as it was when it started, while another connection writes', async () => {
		const { root, locations, db } = await appData();
		const before = count(db, 'users');
		// Writes keep coming on the app's connection while the worker copies.
		const writing = setInterval(() => addUser(db, 'lead'), 1);
		let manifest: Manifest;
		try {
			manifest = await backupDatabase(locations, join(root, 'backup'));
		} finally {
			clearInterval(writing);
		}
		expect(manifest.tables.users).toBeGreaterThanOrEqual(before);
		expect(manifest.tables.__drizzle_migrations).toBeGreaterThan(0);
		expect(manifest.files.map((f) => f.path)).toEqual([
			'database.sqlite',
			'exports/folder/README.md',
			'exports/pairs.jsonl'
		]);
		const copy = openDatabase(join(root, 'backup', 'database.sqlite'), { migrate: false });
		expect(count(copy, 'users')).toBe(manifest.tables.users);
		expect(copy.$client.pragma('integrity_check', { simple: true })).toBe('ok');
		copy.$client.close();
		const written = JSON.parse(readFileSync(join(root, 'backup', MANIFEST_FILE), 'utf8'));
		expect(written).toEqual(manifest);
		db.$client.close();
	});

	it('goes only into a new or empty folder, outside the exports folder', async () => {
		const { root, locations, db } = await appData();
		mkdirSync(join(root, 'full'));
		writeFileSync(join(root, 'full', 'something'), 'x');
		await expect(backupDatabase(locations, join(root, 'full'))).rejects.toThrow(/not empty/);
		await expect(backupDatabase(locations, join(locations.exportsDir, 'b'))).rejects.toThrow(
			/inside the exports folder/
		);
		const missing = { ...locations, databasePath: join(root, 'nowhere.db') };
		await expect(backupDatabase(missing, join(root, 'b'))).rejects.toThrow(/no database/);
		db.$client.close();
	});
});

describe('restoreBackup', () => {
	async function backedUp() {
		const data = await appData();
		const manifest = await backupDatabase(data.locations, join(data.root, 'backup'));
		data.db.$client.close();
		const target = {
			databasePath: join(data.root, 'restored', 'app.db'),
			exportsDir: join(data.root, 'restored', 'exports')
		};
		return { ...data, manifest, dir: join(data.root, 'backup'), target };
	}

	it('brings back the database and the exports into an empty place', async () => {
		const { dir, target, manifest } = await backedUp();
		await restoreBackup(dir, target);
		const db = openDatabase(target.databasePath);
		expect(count(db, 'users')).toBe(manifest.tables.users);
		db.$client.close();
		expect(readFileSync(join(target.exportsDir, 'folder', 'README.md'), 'utf8')).toBe('# card\n');
		expect(existsSync(join(target.exportsDir, '.writing-0123'))).toBe(false);
	});

	it('refuses to replace a database or exports without force, and replaces them with it', async () => {
		const { dir, target, manifest } = await backedUp();
		const other = openDatabase(target.databasePath);
		addUser(other, 'admin');
		addUser(other, 'admin');
		const refused = restoreBackup(dir, target);
		await expect(refused).rejects.toThrow(/--force/);
		await expect(refused).rejects.toBeInstanceOf(DomainError);
		expect(count(other, 'users')).toBe(2);
		// A crash leaves the log behind: it must not be replayed over the restored file.
		const log = readFileSync(`${target.databasePath}-wal`);
		other.$client.close();
		writeFileSync(`${target.databasePath}-wal`, log);

		await restoreBackup(dir, target, { force: true });
		const db = openDatabase(target.databasePath);
		expect(count(db, 'users')).toBe(manifest.tables.users);
		expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
		db.$client.close();
	});

	it('restores nothing from a backup whose files differ from the manifest', async () => {
		const { dir, target } = await backedUp();
		writeFileSync(join(dir, 'exports', 'pairs.jsonl'), 'tampered\n');
		await expect(restoreBackup(dir, target)).rejects.toThrow(
			/exports\/pairs.jsonl: its SHA-256 differs/
		);
		expect(existsSync(target.databasePath)).toBe(false);
		expect(existsSync(target.exportsDir)).toBe(false);
	});

	it('never writes outside the target for a manifest that names other paths', async () => {
		const { dir, target } = await backedUp();
		const path = join(dir, MANIFEST_FILE);
		const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
		manifest.files.push({ path: 'exports/../../escape', bytes: 1, sha256: '00' });
		writeFileSync(path, JSON.stringify(manifest));
		await expect(restoreBackup(dir, target)).rejects.toThrow(/not a file of a backup/);
		await expect(restoreBackup(join(dir, 'exports'), target)).rejects.toThrow(/no manifest/);
	});
});

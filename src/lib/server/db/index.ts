import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

/** A database handle or a transaction on it: domain functions accept either. */
export type DB = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;
/** The opened database, which also exposes the raw better-sqlite3 connection. */
export type AppDB = ReturnType<typeof drizzle<typeof schema>>;

export const DEFAULT_DATABASE_PATH = './data/trait-review.db';

/**
 * Finds the committed migrations folder by walking up from this module, so the path is the
 * same whether we run from src/ (tests, CLI) or from build/server/chunks/ (production), and
 * whatever the working directory is.
 */
export function findMigrationsFolder(): string {
	if (process.env.MIGRATIONS_PATH) return resolve(process.env.MIGRATIONS_PATH);
	let dir = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const candidate = join(dir, 'migrations');
		if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
		const parent = dirname(dir);
		if (parent === dir) {
			throw new Error(
				'Could not find the migrations folder above ' +
					fileURLToPath(import.meta.url) +
					'. Set MIGRATIONS_PATH.'
			);
		}
		dir = parent;
	}
}

/** Opens (creating if needed) a SQLite database, applies the connection settings and migrations. */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): AppDB {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const client = new Database(path);
	client.pragma('journal_mode = WAL');
	client.pragma('foreign_keys = ON');
	client.pragma('busy_timeout = 5000');
	// Every commit syncs the write-ahead log before it returns, so a review acknowledged to a
	// researcher survives a power cut, not only a crash of the process (NORMAL would lose the
	// last commits before the next checkpoint). The review page's writes share one sync per
	// group of requests, taken off the main thread (group-commit.ts).
	client.pragma('synchronous = FULL');
	// A bigger page cache and memory-mapped reads of the file's first 64 MB: the queue reads the
	// same hot pages all day, and they fit. Mapped pages count in the process's resident memory,
	// so the map is kept to what the queue uses rather than 256 MB.
	client.pragma('cache_size = -65536');
	if (path !== ':memory:') client.pragma('mmap_size = 67108864');
	// Checkpoint the write-ahead log every ~32 MB rather than every 4 MB: fewer, larger
	// checkpoints cost less in total. The log file is truncated back to 64 MB at most after each
	// one. The server checkpoints from a worker thread instead (checkpointer.ts).
	client.pragma('wal_autocheckpoint = 8000');
	client.pragma('journal_size_limit = 67108864');
	const db = drizzle(client, { schema });
	if (options.migrate !== false) migrate(db, { migrationsFolder: findMigrationsFolder() });
	return db;
}

let shared: AppDB | undefined;

/** The application's database, opened from DATABASE_PATH on first use. */
export function getDb(): AppDB {
	if (!shared) {
		const path = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
		try {
			shared = openDatabase(path);
		} catch (cause) {
			throw new Error(`Cannot open the database at ${resolve(path)}: ${String(cause)}`, {
				cause
			});
		}
	}
	return shared;
}

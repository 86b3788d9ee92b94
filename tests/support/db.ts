import { openDatabase, type AppDB } from '../../src/lib/server/db';

/** A fresh in-memory database with the real migrations applied. */
export function createTestDb(): AppDB {
	return openDatabase(':memory:');
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiToken } from '../../src/lib/server/api-tokens';
import type { AppDB } from '../../src/lib/server/db';
import { makeUser } from './factories';
import { tableNames } from './snapshot';
import { makeTempDir } from './temp';

/** A file with this content in a fresh temporary folder. */
export function tempFile(name: string, content: string | Uint8Array): string {
	const path = join(makeTempDir('import-test-'), name);
	writeFileSync(path, content);
	return path;
}

/**
 * The number of rows in every table of the database, by name: what a refused import must leave
 * exactly as it found it.
 */
export function countEveryTable(db: AppDB): Record<string, number> {
	const client = db.$client;
	return Object.fromEntries(
		tableNames(db).map((t) => [
			t,
			client.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number
		])
	);
}

/** What posting to the import API needs: an admin, and a lead's API token that admin made. */
export async function makeLeadToken(db: AppDB): Promise<{ adminId: number; token: string }> {
	const admin = await makeUser(db, { role: 'admin' });
	const lead = await makeUser(db, { role: 'lead' });
	return { adminId: admin.id, token: createApiToken(db, admin.id, lead.id, 'imports').token };
}

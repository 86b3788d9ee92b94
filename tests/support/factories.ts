import type { DB } from '../../src/lib/server/db';
import type { Role } from '../../src/lib/roles';
import { createUser } from '../../src/lib/server/users';

let sequence = 0;

export const TEST_PASSWORD = 'correct horse battery';

export async function makeUser(
	db: DB,
	overrides: { role?: Role; username?: string; password?: string; displayName?: string } = {}
) {
	sequence += 1;
	const role = overrides.role ?? 'researcher';
	return createUser(db, null, {
		username: overrides.username ?? `${role}-${sequence}`,
		displayName: overrides.displayName,
		role,
		password: overrides.password ?? TEST_PASSWORD
	});
}

import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { makeUser, TEST_PASSWORD } from '../../../tests/support/factories';
import { listAuditEvents } from './audit';
import { createSession, validateSessionToken, sessionIdFromToken } from './auth/session';
import { verifyPassword } from './auth/password';
import { findUserForLogin } from './users';
import {
	changeOwnPassword,
	changeRole,
	countUsers,
	createFirstAdmin,
	createUser,
	resetPassword,
	setUserDisabled
} from './users';

describe('createUser', () => {
	it('lower-cases the username and refuses a duplicate with a clear message', async () => {
		const db = createTestDb();
		const user = await createUser(db, null, {
			username: 'Alice',
			role: 'lead',
			password: TEST_PASSWORD
		});
		expect(user.username).toBe('alice');
		await expect(
			createUser(db, null, { username: 'ALICE', role: 'researcher', password: TEST_PASSWORD })
		).rejects.toThrow('The username "alice" is already taken.');
		expect(countUsers(db)).toBe(1);
	});

	it('refuses weak passwords and bad usernames, writing nothing', async () => {
		const db = createTestDb();
		await expect(
			createUser(db, null, { username: 'bob', role: 'lead', password: 'short' })
		).rejects.toThrow('at least 10 characters');
		await expect(
			createUser(db, null, { username: 'b o b', role: 'lead', password: TEST_PASSWORD })
		).rejects.toThrow('Use letters, digits');
		expect(countUsers(db)).toBe(0);
	});

	it('writes an audit event with the new value', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const user = await createUser(db, admin.id, {
			username: 'carol',
			role: 'researcher',
			password: TEST_PASSWORD
		});
		const { rows } = listAuditEvents(db, { action: 'user.create', actor: admin.username }, 1);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			targetType: 'user',
			targetId: String(user.id),
			newValue: { username: 'carol', role: 'researcher' }
		});
	});
});

describe('createFirstAdmin', () => {
	it('creates exactly one admin when two setups race', async () => {
		const db = createTestDb();
		const results = await Promise.all([
			createFirstAdmin(db, { username: 'first', password: TEST_PASSWORD }),
			createFirstAdmin(db, { username: 'second', password: TEST_PASSWORD })
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
		expect(countUsers(db)).toBe(1);
	});

	it('refuses once any user exists', async () => {
		const db = createTestDb();
		await makeUser(db);
		expect(await createFirstAdmin(db, { username: 'late', password: TEST_PASSWORD })).toBeNull();
		expect(countUsers(db)).toBe(1);
	});
});

describe('roles and access', () => {
	it('audits role changes with old and new values', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const user = await makeUser(db);
		changeRole(db, admin.id, user.id, 'lead');
		const { rows } = listAuditEvents(db, { action: 'user.role' }, 1);
		expect(rows[0]).toMatchObject({ oldValue: { role: 'researcher' }, newValue: { role: 'lead' } });
		expect(rows[0].actor).toBe(admin.username);
	});

	it('never demotes or disables the last active admin', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		expect(() => changeRole(db, admin.id, admin.id, 'lead')).toThrow('last active admin');
		expect(() => setUserDisabled(db, admin.id, admin.id, true)).toThrow('last active admin');

		// A disabled second admin does not count as a replacement.
		const other = await makeUser(db, { role: 'admin' });
		setUserDisabled(db, admin.id, other.id, true);
		expect(() => changeRole(db, admin.id, admin.id, 'researcher')).toThrow('last active admin');

		setUserDisabled(db, admin.id, other.id, false);
		changeRole(db, admin.id, admin.id, 'lead');
		expect(findUserForLogin(db, admin.username)?.role).toBe('lead');
	});

	it('ends sessions at once when an account is disabled, and audits it', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const user = await makeUser(db);
		const { token } = createSession(db, user.id);
		setUserDisabled(db, admin.id, user.id, true);
		expect(validateSessionToken(db, token)).toBeNull();
		expect(listAuditEvents(db, { action: 'user.disable' }, 1).rows[0]).toMatchObject({
			oldValue: { disabled: false },
			newValue: { disabled: true }
		});
	});
});

describe('passwords', () => {
	it('an admin reset ends all the user’s sessions and is audited without the password', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const user = await makeUser(db);
		const { token } = createSession(db, user.id);
		await resetPassword(db, admin.id, user.id, 'brand new password');
		expect(validateSessionToken(db, token)).toBeNull();
		const row = findUserForLogin(db, user.username);
		expect(await verifyPassword(row!.passwordHash, 'brand new password')).toBe(true);
		const event = listAuditEvents(db, { action: 'user.password_reset' }, 1).rows[0];
		expect(JSON.stringify(event)).not.toContain('brand new password');
	});

	it('changing your own password keeps this session and ends the others', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const here = createSession(db, user.id).token;
		const elsewhere = createSession(db, user.id).token;
		await changeOwnPassword(
			db,
			user.id,
			sessionIdFromToken(here),
			TEST_PASSWORD,
			'another long one'
		);
		expect(validateSessionToken(db, here)).not.toBeNull();
		expect(validateSessionToken(db, elsewhere)).toBeNull();
	});

	it('changing your own password needs the current one', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		await expect(
			changeOwnPassword(db, user.id, 'x', 'not the password', 'another long one')
		).rejects.toThrow('current password is not right');
		await expect(changeOwnPassword(db, user.id, 'x', TEST_PASSWORD, 'short')).rejects.toThrow(
			'at least 10'
		);
	});
});

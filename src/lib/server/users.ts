import { isUniqueViolation } from './db/unique-violation';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, type Role } from '../roles';
import { recordAudit } from './audit';
import { checkPasswordStrength, hashPassword, verifyPassword } from './auth/password';
import { forgetValidatedSessions, invalidateUserSessions } from './auth/session';
import type { DB } from './db';
import { inWriteTransaction } from './db/write';
import { users, type User } from './db/schema';
import { DomainError } from './errors';

export const usernameSchema = z
	.string()
	.trim()
	.toLowerCase()
	.min(3, 'Usernames need at least 3 characters.')
	.max(40, 'Usernames can have at most 40 characters.')
	.regex(
		/^[a-z0-9][a-z0-9._-]*$/,
		'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.'
	);

export const roleSchema = z.enum(ROLES, { message: 'Choose a role.' });

export type NewUser = {
	username: string;
	displayName?: string;
	password: string;
	role: Role;
};

/** What pages may show about a user: never the hash. */
export type UserSummary = Pick<
	User,
	'id' | 'username' | 'displayName' | 'role' | 'disabledAt' | 'createdAt' | 'external'
>;

const summaryColumns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	role: users.role,
	disabledAt: users.disabledAt,
	createdAt: users.createdAt,
	external: users.external
};

function parseUsername(raw: string): string {
	const parsed = usernameSchema.safeParse(raw);
	if (!parsed.success) throw new DomainError(parsed.error.issues[0].message, 'username');
	return parsed.data;
}

async function prepareUser(input: NewUser) {
	const username = parseUsername(input.username);
	if (!ROLES.includes(input.role)) throw new DomainError('Choose a role.', 'role');
	checkPasswordStrength(input.password);
	const displayName = input.displayName?.trim().slice(0, 80) || username;
	return {
		username,
		displayName,
		role: input.role,
		passwordHash: await hashPassword(input.password)
	};
}

export async function createUser(
	db: DB,
	actorId: number | null,
	input: NewUser
): Promise<UserSummary> {
	const values = await prepareUser(input);
	try {
		return inWriteTransaction(db, (tx) => {
			const user = tx.insert(users).values(values).returning(summaryColumns).get();
			recordAudit(tx, {
				actorId,
				action: 'user.create',
				targetType: 'user',
				targetId: user.id,
				newValue: { username: user.username, role: user.role }
			});
			return user;
		});
	} catch (e) {
		if (isUniqueViolation(e, 'users.username')) {
			throw new DomainError(`The username "${values.username}" is already taken.`, 'username');
		}
		throw e;
	}
}

export function countUsers(db: DB): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(users)
			.get()?.n ?? 0
	);
}

/**
 * Creates the first admin, but only while there are no users at all. The check and the insert
 * are one SQL statement, so two racing setup requests cannot both succeed.
 */
export async function createFirstAdmin(
	db: DB,
	input: Omit<NewUser, 'role'>
): Promise<UserSummary | null> {
	const values = await prepareUser({ ...input, role: 'admin' });
	return inWriteTransaction(db, (tx) => {
		const row = tx.get<{ id: number } | undefined>(
			sql`INSERT INTO users (username, display_name, password_hash, role)
				SELECT ${values.username}, ${values.displayName}, ${values.passwordHash}, 'admin'
				WHERE NOT EXISTS (SELECT 1 FROM users)
				RETURNING id`
		);
		if (!row) return null;
		recordAudit(tx, {
			actorId: row.id,
			action: 'user.create',
			targetType: 'user',
			targetId: row.id,
			newValue: { username: values.username, role: 'admin', via: 'setup' }
		});
		return tx.select(summaryColumns).from(users).where(eq(users.id, row.id)).get() ?? null;
	});
}

export function listUsers(db: DB): UserSummary[] {
	return db.select(summaryColumns).from(users).orderBy(asc(users.username)).all();
}

export function getUser(db: DB, id: number): UserSummary | undefined {
	return db.select(summaryColumns).from(users).where(eq(users.id, id)).get();
}

export function findUserForLogin(db: DB, username: string): User | undefined {
	return db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
}

function requireUserRow(db: DB, id: number): UserSummary {
	const user = getUser(db, id);
	if (!user) throw new DomainError('That user does not exist.', undefined, 404);
	return user;
}

function otherActiveAdmins(db: DB, exceptId: number): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(users)
			.where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, exceptId)))
			.get()?.n ?? 0
	);
}

export function changeRole(db: DB, actorId: number, userId: number, role: Role): void {
	if (!ROLES.includes(role)) throw new DomainError('Choose a role.', 'role');
	inWriteTransaction(db, (tx) => {
		const user = requireUserRow(tx, userId);
		if (user.role === role) return;
		if (user.role === 'admin' && !user.disabledAt && otherActiveAdmins(tx, userId) === 0) {
			throw new DomainError(
				'This is the last active admin: make someone else admin first.',
				'role'
			);
		}
		tx.update(users).set({ role }).where(eq(users.id, userId)).run();
		forgetValidatedSessions(userId); // the new role applies from their next request
		recordAudit(tx, {
			actorId,
			action: 'user.role',
			targetType: 'user',
			targetId: userId,
			oldValue: { role: user.role },
			newValue: { role }
		});
	});
}

export function setUserDisabled(db: DB, actorId: number, userId: number, disabled: boolean): void {
	inWriteTransaction(db, (tx) => {
		const user = requireUserRow(tx, userId);
		if (Boolean(user.disabledAt) === disabled) return;
		if (disabled && user.role === 'admin' && otherActiveAdmins(tx, userId) === 0) {
			throw new DomainError('This is the last active admin and cannot be disabled.');
		}
		tx.update(users)
			.set({ disabledAt: disabled ? new Date() : null })
			.where(eq(users.id, userId))
			.run();
		if (disabled) invalidateUserSessions(tx, userId);
		recordAudit(tx, {
			actorId,
			action: disabled ? 'user.disable' : 'user.enable',
			targetType: 'user',
			targetId: userId,
			oldValue: { disabled: !disabled },
			newValue: { disabled }
		});
	});
}

/** An admin sets a new password for someone; all of that user's sessions end. */
export async function resetPassword(
	db: DB,
	actorId: number | null,
	userId: number,
	password: string
): Promise<void> {
	checkPasswordStrength(password);
	const passwordHash = await hashPassword(password);
	inWriteTransaction(db, (tx) => {
		if (requireUserRow(tx, userId).external) {
			throw new DomainError('An external reviewer has no login, so no password.', 'password');
		}
		tx.update(users)
			.set({ passwordHash, passwordChangedAt: new Date() })
			.where(eq(users.id, userId))
			.run();
		invalidateUserSessions(tx, userId);
		// The password itself is never logged, not even hashed.
		recordAudit(tx, {
			actorId,
			action: 'user.password_reset',
			targetType: 'user',
			targetId: userId
		});
	});
}

/** A user changes their own password; their other sessions end, this one stays. */
export async function changeOwnPassword(
	db: DB,
	userId: number,
	currentSessionId: string,
	currentPassword: string,
	newPassword: string
): Promise<void> {
	const row = db.select().from(users).where(eq(users.id, userId)).get();
	if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) {
		throw new DomainError('The current password is not right.', 'currentPassword');
	}
	checkPasswordStrength(newPassword, 'newPassword');
	if (newPassword === currentPassword) {
		throw new DomainError('Choose a password different from the current one.', 'newPassword');
	}
	const passwordHash = await hashPassword(newPassword);
	inWriteTransaction(db, (tx) => {
		tx.update(users)
			.set({ passwordHash, passwordChangedAt: new Date() })
			.where(eq(users.id, userId))
			.run();
		invalidateUserSessions(tx, userId, currentSessionId);
		recordAudit(tx, {
			actorId: userId,
			action: 'user.password_change',
			targetType: 'user',
			targetId: userId
		});
	});
}

/**
 * Never a valid argon2 hash, so no password can match it; login refuses external reviewers
 * before it would even look.
 */
const NO_PASSWORD = '!external';

/**
 * An account for a reviewer whose reviews were made in another tool: a researcher who cannot
 * log in and is never handed items. Inside the caller's transaction (a review import), so the
 * account exists only if the import commits.
 */
export function createExternalReviewer(
	db: DB,
	actorId: number | null,
	username: string,
	displayName: string
): UserSummary {
	const user = db
		.insert(users)
		.values({
			username: parseUsername(username),
			displayName: displayName.slice(0, 80) || username,
			passwordHash: NO_PASSWORD,
			role: 'researcher',
			external: true
		})
		.returning(summaryColumns)
		.get();
	recordAudit(db, {
		actorId,
		action: 'user.create',
		targetType: 'user',
		targetId: user.id,
		newValue: { username: user.username, role: user.role, external: true }
	});
	return user;
}

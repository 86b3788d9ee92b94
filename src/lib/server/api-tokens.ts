import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { SessionUser } from './auth/session';
import type { DB } from './db';
import { inWriteTransaction } from './db/write';
import { apiTokens, users } from './db/schema';
import { DomainError } from './errors';

const TOKEN_PREFIX = 'trt_';

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * Creates a token for `userId`. The plain token is returned once and never stored. `actorId` is
 * null when made from the shell (`npm run admin -- create-token`).
 */
export function createApiToken(db: DB, actorId: number | null, userId: number, name: string) {
	const label = name.trim();
	if (!label)
		throw new DomainError('Give the token a name, such as the script that uses it.', 'name');
	if (label.length > 100)
		throw new DomainError('Token names can have at most 100 characters.', 'name');
	const owner = db.select().from(users).where(eq(users.id, userId)).get();
	if (!owner || owner.disabledAt) throw new DomainError('Choose an active user.', 'userId');
	// A token acts as its owner, and an external reviewer (reviews imported from another tool)
	// may not act here at all: they cannot log in either.
	if (owner.external) {
		throw new DomainError(
			'An external reviewer cannot sign in, so they cannot have an API token.',
			'userId'
		);
	}
	const bytes = new Uint8Array(32);
	crypto.getRandomValues(bytes);
	const token = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
	return inWriteTransaction(db, (tx) => {
		const row = tx
			.insert(apiTokens)
			.values({
				userId,
				name: label,
				prefix: token.slice(0, TOKEN_PREFIX.length + 6),
				tokenHash: hashToken(token),
				createdBy: actorId,
				createdAt: new Date()
			})
			.returning({ id: apiTokens.id })
			.get();
		recordAudit(tx, {
			actorId,
			action: 'api_token.create',
			targetType: 'api_token',
			targetId: row.id,
			newValue: { name: label, userId }
		});
		return { id: row.id, token };
	});
}

export function revokeApiToken(db: DB, actorId: number, tokenId: number): void {
	inWriteTransaction(db, (tx) => {
		const row = tx.select().from(apiTokens).where(eq(apiTokens.id, tokenId)).get();
		if (!row) throw new DomainError('That token does not exist.', undefined, 404);
		if (row.revokedAt) return;
		tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, tokenId)).run();
		recordAudit(tx, {
			actorId,
			action: 'api_token.revoke',
			targetType: 'api_token',
			targetId: tokenId,
			oldValue: { revoked: false },
			newValue: { revoked: true }
		});
	});
}

export function listApiTokens(db: DB) {
	return db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			prefix: apiTokens.prefix,
			owner: users.username,
			role: users.role,
			createdAt: apiTokens.createdAt,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt
		})
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.orderBy(desc(apiTokens.createdAt))
		.all();
}

/**
 * The user a bearer token acts for, or null. Lookup is by the token's SHA-256, an exact
 * index match: the token has 256 bits of entropy, so there is nothing to learn from timing.
 */
export function authenticateApiToken(db: DB, token: string, now = new Date()): SessionUser | null {
	if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
	const row = db
		.select({
			tokenId: apiTokens.id,
			lastUsedAt: apiTokens.lastUsedAt,
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role
		})
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(
			and(
				eq(apiTokens.tokenHash, hashToken(token)),
				isNull(apiTokens.revokedAt),
				isNull(users.disabledAt)
			)
		)
		.get();
	if (!row) return null;
	// Last use to the minute is plenty, and spares a write per call.
	if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
		db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId)).run();
	}
	return { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
}

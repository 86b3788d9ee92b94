import { and, eq, isNull, lt } from 'drizzle-orm';
import { inWriteTransaction } from '../db/write';
import type { DB } from '../db';
import { idempotencyKeys } from '../db/schema';

/** How long a key is remembered: long enough for a nightly job's retries, then forgotten. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Why a client's key cannot be used, or null. Keys are what clients choose: UUIDs, job names. */
export function idempotencyKeyProblem(key: string): string | null {
	if (KEY_PATTERN.test(key)) return null;
	return 'An Idempotency-Key is 1 to 255 visible ASCII characters, without spaces.';
}

/** What a request carrying a key should do: run, replay the first answer, or be refused. */
export type KeyClaim =
	| { state: 'new'; id: number }
	| { state: 'answered'; status: number; response: string }
	| { state: 'running' }
	| { state: 'reused' };

/**
 * Claims `key` for this user's request (`requestHash`), in one immediate transaction so that two
 * retries arriving together cannot both run. Expired keys are dropped first: a key comes back
 * into use a day after its first request.
 */
export function claimIdempotencyKey(
	db: DB,
	userId: number,
	key: string,
	requestHash: string,
	now = new Date()
): KeyClaim {
	return inWriteTransaction(db, (tx) => {
		const cutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
		tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).run();
		const row = tx
			.select()
			.from(idempotencyKeys)
			.where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
			.get();
		if (!row) {
			const { id } = tx
				.insert(idempotencyKeys)
				.values({ userId, key, requestHash, createdAt: now })
				.returning({ id: idempotencyKeys.id })
				.get();
			return { state: 'new', id };
		}
		if (row.requestHash !== requestHash) return { state: 'reused' };
		if (row.status === null || row.response === null) return { state: 'running' };
		return { state: 'answered', status: row.status, response: row.response };
	});
}

/** Keeps the answer a claimed key's request got, for its retries. */
export function recordIdempotentAnswer(db: DB, id: number, status: number, response: string) {
	db.update(idempotencyKeys).set({ status, response }).where(eq(idempotencyKeys.id, id)).run();
}

/** Forgets a claim whose request failed: it wrote nothing, so a retry may run it again. */
export function releaseIdempotencyKey(db: DB, id: number): void {
	db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, id)).run();
}

/**
 * At start: claims still running belonged to the previous process, which never answered them.
 * Forgetting them lets their retries run instead of hearing "in progress" for a day.
 */
export function releaseUnansweredIdempotencyKeys(db: DB): void {
	db.delete(idempotencyKeys).where(isNull(idempotencyKeys.status)).run();
}

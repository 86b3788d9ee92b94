import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import {
	claimIdempotencyKey,
	IDEMPOTENCY_RETENTION_MS,
	idempotencyKeyProblem,
	recordIdempotentAnswer,
	releaseIdempotencyKey,
	releaseUnansweredIdempotencyKeys
} from '.';

async function setUp() {
	const db = createTestDb();
	const user = await makeUser(db, { role: 'lead' });
	return { db, userId: user.id };
}

describe('claimIdempotencyKey', () => {
	it('runs a key once, then replays its answer to the same request only', async () => {
		const { db, userId } = await setUp();
		const first = claimIdempotencyKey(db, userId, 'k1', 'hash-a');
		expect(first.state).toBe('new');
		if (first.state !== 'new') return;
		expect(claimIdempotencyKey(db, userId, 'k1', 'hash-a')).toEqual({ state: 'running' });
		recordIdempotentAnswer(db, first.id, 201, '{"id":7}');
		expect(claimIdempotencyKey(db, userId, 'k1', 'hash-a')).toEqual({
			state: 'answered',
			status: 201,
			response: '{"id":7}'
		});
		expect(claimIdempotencyKey(db, userId, 'k1', 'hash-b')).toEqual({ state: 'reused' });
		// Another user's same key is theirs.
		const other = await makeUser(db, { role: 'lead' });
		expect(claimIdempotencyKey(db, other.id, 'k1', 'hash-b').state).toBe('new');
	});

	it('forgets a key after the retention period, and a released one at once', async () => {
		const { db, userId } = await setUp();
		const start = new Date('2026-11-27T02:00:00Z');
		const claim = claimIdempotencyKey(db, userId, 'nightly', 'hash-a', start);
		if (claim.state !== 'new') throw new Error(claim.state);
		recordIdempotentAnswer(db, claim.id, 201, '{}');
		const justBefore = new Date(start.getTime() + IDEMPOTENCY_RETENTION_MS - 1);
		expect(claimIdempotencyKey(db, userId, 'nightly', 'hash-b', justBefore).state).toBe('reused');
		const after = new Date(start.getTime() + IDEMPOTENCY_RETENTION_MS + 1);
		const again = claimIdempotencyKey(db, userId, 'nightly', 'hash-b', after);
		expect(again.state).toBe('new');
		if (again.state !== 'new') return;
		releaseIdempotencyKey(db, again.id);
		expect(claimIdempotencyKey(db, userId, 'nightly', 'hash-c', after).state).toBe('new');
	});

	it('releases at start what a previous process left running, and keeps answers', async () => {
		const { db, userId } = await setUp();
		const answered = claimIdempotencyKey(db, userId, 'done', 'h');
		if (answered.state !== 'new') throw new Error(answered.state);
		recordIdempotentAnswer(db, answered.id, 201, '{}');
		claimIdempotencyKey(db, userId, 'cut-off', 'h');
		releaseUnansweredIdempotencyKeys(db);
		expect(claimIdempotencyKey(db, userId, 'cut-off', 'h').state).toBe('new');
		expect(claimIdempotencyKey(db, userId, 'done', 'h').state).toBe('answered');
	});
});

describe('idempotencyKeyProblem', () => {
	it('takes UUIDs and job names, refuses empty, spaced, non-ASCII and overlong keys', () => {
		expect(idempotencyKeyProblem('5b2f6c2e-3a4b-4c1d-9e8f-0a1b2c3d4e5f')).toBeNull();
		expect(idempotencyKeyProblem('nightly-2026-11-27')).toBeNull();
		for (const bad of ['', 'two words', 'clé', 'x'.repeat(256)]) {
			expect(idempotencyKeyProblem(bad), bad).toMatch(/1 to 255/);
		}
	});
});

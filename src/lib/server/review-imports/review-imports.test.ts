import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser, TEST_PASSWORD } from '../../../../tests/support/factories';
import { importGeneratedBatch } from '../../../../tests/support/review-batches';
import { reviewLine, reviewsJsonl } from '../../../../tests/support/review-lines';
import { makeTempDir } from '../../../../tests/support/temp';
import { attemptLogin } from '../auth/login';
import { createSession } from '../auth/session';
import { lockBatch } from '../batches';
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { assignResearcher, loadReviewPage } from '../reviews';
import { findUserForLogin, resetPassword } from '../users';
import { importReviews, parseReviewerMap } from './index';
import { parseReviewLine } from './line';
import { MAX_EVIDENCE_SPANS } from '$lib/evidence';
import { collectJudging } from '../judging';

function writeLines(lines: unknown[]): string {
	const path = join(makeTempDir('review-import-'), 'reviews.jsonl');
	writeFileSync(path, reviewsJsonl(lines));
	return path;
}

async function world(overlap = 3) {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, { items: 4, overlap });
	return { db, leadId: lead.id, batchId, itemIds };
}

const count = (db: AppDB, table: string) =>
	(db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const written = (db: AppDB) =>
	['reviews', 'review_responses', 'users', 'audit_events'].map((t) => count(db, t));

describe('parseReviewerMap', () => {
	it('reads one entry per flag, per line or comma-separated, usernames lower-cased', () => {
		const map = parseReviewerMap(['reviewer-1=Alice', 'reviewer-2 = bob\nreviewer-3=carol, x=y']);
		expect([...map]).toEqual([
			['reviewer-1', 'alice'],
			['reviewer-2', 'bob'],
			['reviewer-3', 'carol'],
			['x', 'y']
		]);
	});

	it('refuses an entry without a username, and a reviewer mapped twice', () => {
		expect(() => parseReviewerMap(['reviewer-1'])).toThrow(/reviewer=username/);
		expect(() => parseReviewerMap(['=alice'])).toThrow(/reviewer=username/);
		expect(() => parseReviewerMap(['a=b', 'a=c'])).toThrow('"a" is mapped twice.');
	});
});

describe('parseReviewLine', () => {
	it('ignores keys it does not know, and reads evidence spans as the review page does', () => {
		const line = reviewLine(1, 'reviewer-1', { future_key: 1 });
		const span = { start: 0, end: 4, stance: 'for', note: '  warm  ', text: 'Resp', later: 1 };
		line.responses[1] = { ...line.responses[1], evidence: [span] } as never;
		const parsed = parseReviewLine(JSON.stringify(line), 5);
		expect(parsed.issues).toBeUndefined();
		expect(parsed.review).toMatchObject({ line: 5, itemId: 'item-1', reviewer: 'reviewer-1' });
		expect(parsed.review!.responses.map((r) => r.evidence)).toEqual([
			[],
			[{ start: 0, end: 4, stance: 'for', note: 'warm', text: 'Resp' }]
		]);
		expect(parsed.review!.submittedAt).toBe(Date.parse('2026-03-01T10:00:00.000Z'));
	});

	it("checks spans strictly, by the review page's rules, naming each span's field", () => {
		const line = reviewLine(2, 'reviewer-1');
		const ok = { start: 0, end: 2, stance: 'against', note: null };
		const spans = [
			[{ ...ok, stance: 'neutral' }, { ...ok, start: 3, end: 3 }, 'span'],
			[
				{ ...ok, start: 0.5 },
				{ ...ok, note: 'x'.repeat(2001) },
				{ ...ok, text: 4 }
			]
		];
		line.responses[0] = { ...line.responses[0], evidence: spans[0] } as never;
		line.responses[2] = { ...line.responses[2], evidence: spans[1] } as never;
		const { issues } = parseReviewLine(JSON.stringify(line), 4);
		// The shape first (zod's own words), as for any field of the line.
		expect(issues!.map((i) => i.path)).toEqual([
			'responses[0].evidence[2]',
			'responses[2].evidence[2].text'
		]);
		delete (spans[1][2] as { text?: unknown }).text;
		spans[0].pop();
		const rules = parseReviewLine(JSON.stringify(line), 4).issues!;
		expect(rules.map((i) => [i.line, i.path, i.message])).toEqual([
			[4, 'responses[0].evidence[0].stance', 'Evidence is either for or against the trait.'],
			[
				4,
				'responses[0].evidence[1]',
				'Evidence must cover at least one character (start before end).'
			],
			[4, 'responses[2].evidence[0].start', 'Evidence offsets must be whole numbers.'],
			[4, 'responses[2].evidence[1].note', 'Keep each evidence note under 2,000 characters.']
		]);
		const many = Array.from({ length: MAX_EVIDENCE_SPANS }, () => ok);
		line.responses[0] = { ...line.responses[0], evidence: many } as never;
		line.responses[2] = { ...line.responses[2], evidence: [ok] } as never;
		expect(parseReviewLine(JSON.stringify(line), 4).issues).toEqual([
			{
				line: 4,
				path: 'responses',
				message: `Mark at most ${MAX_EVIDENCE_SPANS} pieces of evidence per review.`
			}
		]);
	});

	it('checks the keys it knows strictly, naming line and field', () => {
		const bad = reviewLine(1, 'reviewer-1', { flags: ['shiny'], submitted_at: 'yesterday' });
		bad.responses[1].score = 2.5;
		const { issues } = parseReviewLine(JSON.stringify(bad), 9);
		expect(issues!.map((i) => [i.line, i.path])).toEqual([
			[9, 'responses[1].score'],
			[9, 'flags[0]'],
			[9, 'submitted_at']
		]);
		expect(parseReviewLine('{"item_id": ', 3).issues![0]).toMatchObject({ line: 3, path: '' });
	});
});

describe('importReviews', () => {
	it('writes the reviews: mapped reviewers as their accounts, the rest as external reviewers', async () => {
		const { db, leadId, batchId, itemIds } = await world();
		const alice = await makeUser(db, { username: 'alice' });
		const path = writeLines([
			reviewLine(1, 'reviewer-1'),
			reviewLine(1, 'reviewer-2'),
			reviewLine(2, 'reviewer-2')
		]);
		const result = await importReviews(db, path, {
			batchId,
			actorId: leadId,
			map: parseReviewerMap(['reviewer-1=alice'])
		});
		expect(result).toMatchObject({
			ok: true,
			reviews: 3,
			items: 2,
			reviewers: [
				{ name: 'reviewer-1', username: 'alice', external: false, created: false },
				{ name: 'reviewer-2', username: 'ext-elsewhere-reviewer-2', external: true, created: true }
			]
		});
		const counts = db.$client
			.prepare(`SELECT submitted_count AS n FROM items WHERE id IN (?, ?) ORDER BY id`)
			.all(itemIds[0], itemIds[1]);
		expect(counts).toEqual([{ n: 2 }, { n: 1 }]);
		const review = db.$client
			.prepare(
				`SELECT status, submitted_at, time_spent_ms, overall_comment FROM reviews WHERE user_id = ?`
			)
			.get(alice.id);
		expect(review).toEqual({
			status: 'submitted',
			submitted_at: Date.parse('2026-03-01T10:00:00.000Z'),
			time_spent_ms: 1200,
			overall_comment: 'imported'
		});
		const audit = db.$client
			.prepare(`SELECT actor_id, new_value FROM audit_events WHERE action = 'review.import'`)
			.get() as { actor_id: number; new_value: string };
		expect(audit.actor_id).toBe(leadId);
		expect(JSON.parse(audit.new_value)).toMatchObject({ reviews: 3, items: 2 });
	});

	it('matches responses by external id before position', async () => {
		const { db, leadId, batchId, itemIds } = await world();
		db.$client
			.prepare(`UPDATE responses SET external_id = 'r' || position WHERE item_id = ?`)
			.run(itemIds[0]);
		const line = reviewLine(1, 'reviewer-1');
		// Listed in the other order, with positions that would say the opposite.
		line.responses = [
			{ ...line.responses[1], external_id: 'r1', position: 0 },
			{ ...line.responses[0], external_id: 'r0', position: 1 }
		];
		expect(await importReviews(db, writeLines([line]), { batchId, actorId: leadId })).toMatchObject(
			{ ok: true }
		);
		const scores = db.$client
			.prepare(
				`SELECT r.position, rr.score FROM review_responses rr JOIN responses r ON r.id = rr.response_id ORDER BY r.position`
			)
			.all();
		expect(scores).toEqual([
			{ position: 0, score: 7 },
			{ position: 1, score: 6 }
		]);
	});

	it('writes nothing when one line is bad, and names each bad line and field', async () => {
		const { db, leadId, batchId } = await world();
		const before = written(db);
		const outOfScale = reviewLine(2, 'reviewer-1');
		outOfScale.responses[0].score = 9;
		const path = writeLines([
			reviewLine(1, 'reviewer-1'),
			reviewLine(9, 'reviewer-1'),
			reviewLine(1, 'reviewer-2', { trait_version: 4 }),
			outOfScale,
			reviewLine(3, 'reviewer-1', {
				responses: reviewLine(3, 'x')
					.responses.slice(0, 1)
					.concat([{ ...reviewLine(3, 'x').responses[0] }])
			}),
			'not json'
		]);
		const result = await importReviews(db, path, { batchId, actorId: leadId });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.code).toBe('invalid_file');
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[2, 'item_id'],
			[3, 'trait_version'],
			[4, 'responses'],
			[5, 'responses[1].position'],
			[6, '']
		]);
		expect(result.issues[0].message).toContain('no item "item-9"');
		expect(result.issues[2].message).toContain('from 1 to 7');
		expect(written(db)).toEqual(before);
	});

	it('stores evidence spans with their reviews, and no made-up shown order', async () => {
		const { db, leadId, batchId, itemIds } = await world();
		// Item 1's responses read "Response 1 to prompt 1." and "Response 2 to prompt 1.".
		const line = reviewLine(1, 'reviewer-1');
		const marked = { start: 0, end: 8, stance: 'for', note: ' opens well ', text: 'Response' };
		line.responses[1] = { ...line.responses[1], evidence: [marked] } as never;
		line.responses[0] = {
			...line.responses[0],
			evidence: [{ start: 9, end: 10, stance: 'against', note: null }]
		} as never;
		const path = writeLines([line, reviewLine(2, 'reviewer-1')]);
		expect(await importReviews(db, path, { batchId, actorId: leadId })).toMatchObject({ ok: true });
		const spans = db.$client
			.prepare(
				`SELECT r.position, e.start, e."end", e.stance, e.note FROM evidence_spans e
				   JOIN responses r ON r.id = e.response_id ORDER BY e.id`
			)
			.all();
		expect(spans).toEqual([
			{ position: 0, start: 9, end: 10, stance: 'against', note: null },
			{ position: 1, start: 0, end: 8, stance: 'for', note: 'opens well' }
		]);
		const orders = db.$client.prepare(`SELECT shown_order FROM reviews ORDER BY id`).all();
		expect(orders).toEqual([{ shown_order: '[]' }, { shown_order: '[]' }]);
		const audit = db.$client
			.prepare(`SELECT new_value FROM audit_events WHERE action = 'review.import'`)
			.get() as { new_value: string };
		expect(JSON.parse(audit.new_value)).toMatchObject({ reviews: 2, evidence: 2 });

		// Nobody saw these in an order known here: they are no position trials.
		const position = (await collectJudging(db, batchId)).position;
		expect(position.reviewers).toMatchObject({ trials: 0, tiedTop: 0, incomplete: 0 });
		expect(position.reviewers.unknownOrder).toBe(2);
		expect(position.byReviewer).toEqual([]);
		expect(itemIds).toHaveLength(4);
	});

	it("shows a mapped reviewer their imported review, every response in this instance's order", async () => {
		const { db, leadId, batchId, itemIds } = await world();
		const alice = await makeUser(db, { username: 'alice' });
		assignResearcher(db, leadId, batchId, alice.id, null);
		const path = writeLines([reviewLine(2, 'reviewer-1')]);
		const map = parseReviewerMap(['reviewer-1=alice']);
		expect(await importReviews(db, path, { batchId, actorId: leadId, map })).toMatchObject({
			ok: true
		});
		const page = loadReviewPage(db, alice.id, batchId, itemIds[1])!;
		expect(page.responses).toHaveLength(3);
		expect(Object.values(page.review!.scores).sort()).toEqual([5, 6, 7]);
	});

	it("refuses the whole file for a span that does not fit this instance's texts", async () => {
		const { db, leadId, batchId } = await world();
		const before = written(db);
		const elsewhere = reviewLine(1, 'reviewer-1');
		elsewhere.responses[0] = {
			...elsewhere.responses[0],
			evidence: [{ start: 0, end: 8, stance: 'for', note: null, text: 'Antwort ' }]
		} as never;
		const pastTheEnd = reviewLine(2, 'reviewer-1');
		pastTheEnd.responses[2] = {
			...pastTheEnd.responses[2],
			evidence: [
				{ start: 0, end: 3, stance: 'for', note: null },
				{ start: 20, end: 99, stance: 'for', note: null }
			]
		} as never;
		const path = writeLines([reviewLine(3, 'reviewer-1'), elsewhere, pastTheEnd]);
		const result = await importReviews(db, path, { batchId, actorId: leadId });
		expect(result).toMatchObject({ ok: false, code: 'invalid_file' });
		if (result.ok) return;
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[2, 'responses[0].evidence[0].text'],
			[3, 'responses[2].evidence[1].end']
		]);
		expect(result.issues[0].message).toBe(
			'The evidence marks "Response" in this response here, not "Antwort ": the file was made against other texts.'
		);
		expect(result.issues[1].message).toMatch(/runs past the end of its response here \(99 > 23/);
		expect(written(db)).toEqual(before);
		expect(count(db, 'evidence_spans')).toBe(0);
	});

	it('refuses the same file twice as duplicates, writing nothing the second time', async () => {
		const { db, leadId, batchId } = await world();
		const path = writeLines([reviewLine(1, 'reviewer-1'), reviewLine(2, 'reviewer-1')]);
		expect(await importReviews(db, path, { batchId, actorId: leadId })).toMatchObject({ ok: true });
		const before = written(db);
		const again = await importReviews(db, path, { batchId, actorId: leadId });
		expect(again).toMatchObject({ ok: false, code: 'invalid_file', totalIssues: 2 });
		if (!again.ok)
			expect(again.issues[0].message).toMatch(
				/already has a review of item "item-1".*imported before/
			);
		expect(written(db)).toEqual(before);
	});

	it('refuses a review that would push an item past its overlap, naming the line', async () => {
		const { db, leadId, batchId } = await world(2);
		const path = writeLines(
			['reviewer-1', 'reviewer-2', 'reviewer-3'].map((r) => reviewLine(1, r))
		);
		const result = await importReviews(db, path, { batchId, actorId: leadId });
		expect(result).toMatchObject({ ok: false, issues: [{ line: 3, path: 'item_id' }] });
		if (!result.ok)
			expect(result.issues[0].message).toMatch(/overlap of 2: raise the overlap first/);
	});

	it('refuses a map to no account, a map entry no line uses, and one reviewer twice on an item', async () => {
		const { db, leadId, batchId } = await world();
		const path = writeLines([
			reviewLine(1, 'reviewer-1'),
			reviewLine(2, 'reviewer-2'),
			reviewLine(2, 'reviewer-2')
		]);
		const result = await importReviews(db, path, {
			batchId,
			actorId: leadId,
			map: parseReviewerMap(['reviewer-1=nobody', 'reviewr-2=alice'])
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.issues.map((i) => [i.line, i.path, i.message])).toEqual([
			[1, 'reviewer', '"reviewer-1" is mapped to "nobody", but there is no such account.'],
			[3, 'reviewer', '"reviewer-2" reviews item "item-2" on line 2 too.'],
			[0, 'map', 'The map names "reviewr-2", but no line of the file has that reviewer.']
		]);
	});

	it('refuses a locked batch, and will not turn a login account into an external reviewer', async () => {
		const { db, leadId, batchId } = await world();
		await makeUser(db, { username: 'ext-elsewhere-reviewer-1' });
		const path = writeLines([reviewLine(1, 'reviewer-1')]);
		const result = await importReviews(db, path, { batchId, actorId: leadId });
		expect(result).toMatchObject({ ok: false, issues: [{ line: 1, path: 'reviewer' }] });
		lockBatch(db, leadId, batchId, true);
		await expect(importReviews(db, path, { batchId, actorId: leadId })).rejects.toThrow(
			/is locked/
		);
	});
});

describe('external reviewers', () => {
	it('cannot log in, hold a session, get a password or be handed items', async () => {
		const { db, leadId, batchId } = await world();
		const admin = await makeUser(db, { role: 'admin' });
		const path = writeLines([reviewLine(1, 'reviewer-1')]);
		await importReviews(db, path, { batchId, actorId: leadId, source: 'Other Lab' });
		const external = findUserForLogin(db, 'ext-other-lab-reviewer-1')!;
		expect(external.external).toBe(true);
		const failed = await attemptLogin(db, external.username, TEST_PASSWORD, '10.9.0.1');
		const unknown = await attemptLogin(db, 'nobody-at-all', TEST_PASSWORD, '10.9.0.1');
		expect(failed).toEqual(unknown);
		expect(() => createSession(db, external.id)).toThrow(DomainError);
		await expect(resetPassword(db, admin.id, external.id, TEST_PASSWORD)).rejects.toThrow(
			/no login/
		);
		expect(() => assignResearcher(db, admin.id, batchId, external.id, null)).toThrow(
			/external reviewer/
		);
	});
});

import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp';
import { createTestDb } from '../../../tests/support/db';
import { buildExportBatch } from '../../../tests/support/export-fixture';
import {
	adjudicateItem,
	clearAdjudication,
	listDisagreements,
	loadAdjudication
} from './adjudication';
import type { AppDB } from './db';
import { adjudications, auditEvents } from './db/schema';
import { DomainError } from './errors';
import { exportOptionsSchema, runExport } from './exports';

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildExportBatch(db, { lock: true });
});

const ids = (...keys: string[]) => keys.map((k) => fixture.responseIds[k]);

describe('the disagreement list', () => {
	it('puts the most disputed items first and leaves out items with one review', async () => {
		const list = await listDisagreements(db, fixture.batchId);
		// e2: reviewers split (score SD 0.471; W 1/9, so rank discord 0.889); e1 next (SD 0.586, W 1).
		expect(list.rows.map((r) => r.externalId)).toEqual(['e2', 'e1', 'e5', 'e3', 'e4']);
		expect(list.rows[0].spread).toBeCloseTo(0.4714 + 0.8889, 3);
		expect(list.rows[1].spread).toBeCloseTo(0.5864, 3);
		expect(list.traits).toEqual(['curiosity', 'warmth']);
	});

	it('filters by trait and by whether a decision exists', async () => {
		expect(
			(await listDisagreements(db, fixture.batchId, { traitKey: 'warmth' })).rows.map(
				(r) => r.externalId
			)
		).toEqual(['e2', 'e1']);
		adjudicateItem(db, fixture.lead.id, fixture.batchId, fixture.itemIds.e2, {
			decision: 'exclude',
			note: 'split'
		});
		const undecided = await listDisagreements(db, fixture.batchId, { undecidedOnly: true });
		expect(undecided.rows.map((r) => r.externalId)).not.toContain('e2');
	});
});

describe('adjudicating', () => {
	it('shows reviews under pseudonyms to leads and under names to admins', async () => {
		const lead = loadAdjudication(db, fixture.batchId, fixture.itemIds.e1, false)!;
		expect(lead.reviewers.map((r) => r.label)).toEqual(['Reviewer 1', 'Reviewer 2', 'Reviewer 3']);
		expect(JSON.stringify(lead)).not.toContain(fixture.reviewers[0].username);
		const admin = loadAdjudication(db, fixture.batchId, fixture.itemIds.e1, true)!;
		expect(admin.reviewers.map((r) => r.label)).toEqual(fixture.reviewers.map((r) => r.username));
		expect(admin.consensus.map((c) => c.responseId)).toEqual(ids('a', 'b', 'c'));
	});

	it('sets a final order, changes it, and audits each step with old and new values', async () => {
		const item = fixture.itemIds.e2;
		adjudicateItem(db, fixture.lead.id, fixture.batchId, item, {
			decision: 'order',
			order: [ids('y'), ids('x')],
			note: 'y is kinder'
		});
		adjudicateItem(db, fixture.lead.id, fixture.batchId, item, {
			decision: 'exclude',
			note: 'on reflection, neither'
		});
		const view = loadAdjudication(db, fixture.batchId, item, false)!;
		expect(view.adjudicated).toMatchObject({ decision: 'exclude', note: 'on reflection, neither' });
		const events = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.targetType, 'item'))
			.all()
			.map((e) => [e.action, e.oldValue, e.newValue]);
		expect(events).toEqual([
			[
				'adjudication.create',
				null,
				{ decision: 'order', order: [ids('y'), ids('x')], note: 'y is kinder' }
			],
			[
				'adjudication.change',
				{ decision: 'order', order: [ids('y'), ids('x')], note: 'y is kinder' },
				{ decision: 'exclude', order: null, note: 'on reflection, neither' }
			]
		]);
		clearAdjudication(db, fixture.lead.id, fixture.batchId, item);
		expect(db.select().from(adjudications).all()).toEqual([]);
	});

	it('refuses an order that misses or repeats a response, and a decision without a note', async () => {
		const item = fixture.itemIds.e1;
		const attempt = (raw: unknown) => () =>
			adjudicateItem(db, fixture.lead.id, fixture.batchId, item, raw);
		expect(attempt({ decision: 'order', order: [ids('a'), ids('b')], note: 'x' })).toThrow(
			DomainError
		);
		expect(
			attempt({ decision: 'order', order: [ids('a', 'b'), ids('b', 'c')], note: 'x' })
		).toThrow(DomainError);
		// A missing note is the domain's refusal too, named by field, so the form shows it there.
		expect(attempt({ decision: 'exclude', note: '  ' })).toThrow(
			expect.objectContaining({
				name: 'DomainError',
				field: 'note',
				message: 'Say why the item is excluded, in a note.'
			})
		);
		expect(attempt({ decision: 'order', order: [], note: 'x' })).toThrow(
			expect.objectContaining({ name: 'DomainError', field: 'order' })
		);
		expect(db.select().from(adjudications).all()).toEqual([]);
	});

	it('freezes adjudications once the batch is exported', async () => {
		const item = fixture.itemIds.e2;
		adjudicateItem(db, fixture.lead.id, fixture.batchId, item, { decision: 'exclude', note: 'x' });
		await runExport(
			db,
			fixture.lead.id,
			exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'trl' }),
			{ dir: makeTempDir('adj-export-') }
		);
		expect(() =>
			adjudicateItem(db, fixture.lead.id, fixture.batchId, item, {
				decision: 'order',
				order: [ids('x'), ids('y')],
				note: 'changed my mind'
			})
		).toThrow(/exported/);
		expect(() => clearAdjudication(db, fixture.lead.id, fixture.batchId, item)).toThrow(/exported/);
		expect(loadAdjudication(db, fixture.batchId, item, false)!.frozen).toBe(true);
	});
});

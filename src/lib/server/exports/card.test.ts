import { beforeEach, describe, expect, it } from 'vitest';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { makeBatchFromFixture } from '../../../../tests/support/fixture-batch';
import { makeReview, makeUser } from '../../../../tests/support/factories';
import { createTestDb } from '../../../../tests/support/db';
import { makeTempDir } from '../../../../tests/support/temp';
import type { AppDB } from '../db';
import { exportOptionsSchema, runExport } from './index';

let db: AppDB;

beforeEach(() => {
	db = createTestDb();
});

/** The card's row for one batch, split into its cells. */
function batchRow(card: string, name: string): string[] {
	const row = card.split('\n').find((line) => line.startsWith(`| ${name} |`));
	if (!row) throw new Error(`No row for ${name} in:\n${card}`);
	return row
		.split('|')
		.slice(1, -1)
		.map((cell) => cell.trim());
}

describe('the dataset card', () => {
	it('counts each batch’s own items and submitted reviews, and the export’s', async () => {
		// Another batch first, so that batch ids and item ids differ: a count that mixed them up
		// (items.id for batches.id) said every batch had 1 item.
		const other = makeBatchFromFixture(db, 'native.jsonl', { name: 'other', status: 'open' });
		const researcher = await makeUser(db, { role: 'researcher' });
		makeReview(db, other.items[0], researcher.id, { status: 'draft' });
		const fixture = await buildExportBatch(db, { lock: true });
		// Neither a draft nor a skip is a review the export reads.
		makeReview(db, other.items[1], researcher.id, { status: 'skipped', skipReason: 'unclear' });

		const record = await runExport(
			db,
			fixture.lead.id,
			exportOptionsSchema.parse({
				batchIds: [other.batch.id, fixture.batchId],
				format: 'trl',
				lockedOnly: false
			}),
			{ dir: makeTempDir() }
		);
		const card = record.card;

		expect(card).toContain('| batch | status | items | submitted reviews | agreement');
		// export-items.jsonl: five items, reviewed 3, 3, 3, 2 and 3 times.
		expect(batchRow(card, fixture.name).slice(0, 4)).toEqual([fixture.name, 'locked', '5', '14']);
		// native.jsonl: three items, no submitted review.
		expect(batchRow(card, 'other').slice(0, 4)).toEqual(['other', 'open', '3', '0']);
		// e3 is flagged unsafe; the other batch's items have no reviews.
		expect(card).toContain('- Items in: 4');
		expect(card).toContain('- Items out, flagged by a reviewer: 1');
		expect(card).toContain('- Items out, fewer reviews than the minimum: 3');
		// Best against worst: one pair per item kept.
		expect(card).toContain('- Pairs: 4');
	});
});

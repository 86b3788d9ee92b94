import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { editTrait } from '../catalog';
import { items, traits } from '../db/schema';
import { claimNextItem, loadReviewPage } from './index';
import { T0, claimed } from './testing';

describe('the review page', () => {
	it('names the sections of its constitution that the trait text links to, and only those', async () => {
		const db = createTestDb();
		const { lead, batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const { traitId } = db.select().from(items).where(eq(items.id, itemId)).get()!;
		const other = db
			.select()
			.from(traits)
			.all()
			.find((t) => t.id !== traitId)!;
		editTrait(db, lead.id, traitId, {
			title: 'Linked',
			description: `See [?](#${other.key}) and [?](#nowhere).`,
			rubric: null
		});
		const page = loadReviewPage(db, r.id, batchId, itemId, T0)!;
		expect(page.trait.sections).toEqual({ [other.key]: expect.any(String) });
	});
});

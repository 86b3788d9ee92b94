import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDB } from '../../src/lib/server/db';
import { openBatch } from '../../src/lib/server/batches';
import { importFile } from '../../src/lib/server/imports';
import { assignResearcher } from '../../src/lib/server/reviews';
import { makeUser } from './factories';
import { fixturePath } from './fixtures';

let copies = 0;

/** An open batch of the native fixture (3 items), a lead, and researchers assigned to it. */
export async function openBatchWithResearchers(
	db: AppDB,
	options: {
		researchers?: number;
		overlap?: number;
		file?: string;
		blind?: boolean;
		calibration?: boolean;
	} = {}
) {
	const lead = await makeUser(db, { role: 'lead' });
	// A fresh copy each time: the same bytes twice would be refused as already imported.
	const copy = join(mkdtempSync(join(tmpdir(), 'review-fixture-')), options.file ?? 'native.jsonl');
	writeFileSync(
		copy,
		readFileSync(fixturePath(options.file ?? 'native.jsonl'), 'utf8') + '\n'.repeat(++copies)
	);
	const result = await importFile(db, copy, {
		actorId: lead.id,
		batch: `batch-${lead.id}`,
		constitution: `constitution-${lead.id}`,
		settings: {
			overlap: options.overlap ?? 2,
			blind: options.blind ?? true,
			calibration: options.calibration ?? false
		}
	});
	if (!result.ok || result.kind !== 'batch')
		throw new Error(`fixture import failed: ${JSON.stringify(result)}`);
	openBatch(db, lead.id, result.batchId);
	const researchers = [];
	for (let i = 0; i < (options.researchers ?? 2); i++) {
		const user = await makeUser(db, { role: 'researcher' });
		assignResearcher(db, lead.id, result.batchId, user.id, null);
		researchers.push(user);
	}
	return { lead, batchId: result.batchId, researchers };
}

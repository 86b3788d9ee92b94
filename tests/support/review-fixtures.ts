import type { AppDB } from '../../src/lib/server/db';
import { makeAssignment, makeUser } from './factories';
import { makeBatchFromFixture } from './fixture-batch';

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
	const { batch } = makeBatchFromFixture(db, options.file ?? 'native.jsonl', {
		name: `batch-${lead.id}`,
		status: 'open',
		openedAt: new Date(),
		createdBy: lead.id,
		overlap: options.overlap ?? 2,
		blind: options.blind ?? true,
		calibration: options.calibration ?? false
	});
	const researchers = [];
	for (let i = 0; i < (options.researchers ?? 2); i++) {
		const user = await makeUser(db, { role: 'researcher' });
		makeAssignment(db, batch.id, user.id);
		researchers.push(user);
	}
	return { lead, batchId: batch.id, researchers };
}

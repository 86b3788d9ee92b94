import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role } from '../roles';
import { openBatch } from './batches';
import type { AppDB } from './db';
import { importFile, type ImportResult } from './imports';
import { assignResearcher } from './reviews';
import { createUser } from './users';

export type DemoAccount = { username: string; displayName: string; role: Role; password: string };

/** Fixed, printed credentials: the demo database is throwaway and rebuilt on every run. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ username: 'admin', displayName: 'Ada Admin', role: 'admin', password: 'demo-admin-pass' },
	{ username: 'lead', displayName: 'Lee Lead', role: 'lead', password: 'demo-lead-pass' },
	{
		username: 'rosa',
		displayName: 'Rosa Researcher',
		role: 'researcher',
		password: 'demo-rosa-pass'
	},
	{
		username: 'ravi',
		displayName: 'Ravi Researcher',
		role: 'researcher',
		password: 'demo-ravi-pass'
	}
];

/** The sample data shipped in the repository (copies of the shared reference data). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../samples', import.meta.url));

export const DEMO_MODEL_SPEC_BATCH = 'Model Spec examples';

function expectImported(result: ImportResult, what: string): void {
	if (!result.ok) {
		const details = result.issues.map((i) => `line ${i.line} ${i.path}: ${i.message}`).join('\n');
		throw new Error(`The demo could not import ${what}: ${result.message}\n${details}`);
	}
}

/**
 * Fills an empty database with the demo's content, through the same import code as real use:
 * the Model Spec as an open calibration batch, and one Open Character Training constitution.
 */
export async function seedDemo(db: AppDB, samplesDir = SAMPLES_DIR): Promise<void> {
	const ids: Record<string, number> = {};
	for (const account of DEMO_ACCOUNTS)
		ids[account.username] = (await createUser(db, null, account)).id;

	const spec = await importFile(db, join(samplesDir, 'model-spec', 'model_spec.md'), {
		actorId: ids.lead,
		format: 'model-spec',
		batch: DEMO_MODEL_SPEC_BATCH,
		settings: { overlap: 2, blind: true, calibration: true }
	});
	expectImported(spec, 'the Model Spec');
	if (spec.ok && spec.kind === 'batch') {
		openBatch(db, ids.lead, spec.batchId);
		for (const researcher of ['rosa', 'ravi']) {
			assignResearcher(db, ids.admin, spec.batchId, ids[researcher], null);
		}
	}

	const oct = await importFile(
		db,
		join(samplesDir, 'open-character-training', 'few-shot', 'humor.jsonl'),
		{ actorId: ids.lead, format: 'oct', constitution: 'Humor (Open Character Training)' }
	);
	expectImported(oct, 'the Open Character Training constitution');
}

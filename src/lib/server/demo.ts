import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role } from '../roles';
import { openBatch } from './batches';
import type { AppDB } from './db';
import { importFile, type ImportResult } from './imports';
import { eq } from 'drizzle-orm';
import { responses } from './db/schema';
import { assignResearcher, claimNextItem, submitReview } from './reviews';
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
	},
	{
		username: 'sam',
		displayName: 'Sam Researcher',
		role: 'researcher',
		password: 'demo-sam-pass'
	}
];

/** They have reviewed every demo item already, so leads have agreement to read and pairs to export. */
const PAST_REVIEWERS = ['ravi', 'sam'];

/** The sample data shipped in the repository (copies of the shared reference data). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../samples', import.meta.url));

export const DEMO_MODEL_SPEC_BATCH = 'Model Spec examples';

function expectImported(result: ImportResult, what: string): void {
	if (!result.ok) {
		const details = result.issues.map((i) => `line ${i.line} ${i.path}: ${i.message}`).join('\n');
		throw new Error(`The demo could not import ${what}: ${result.message}\n${details}`);
	}
}

/** A fixed pseudo-random number in [0, 1) for a key: the demo is the same on every run. */
function noise(key: string): number {
	let h = 2166136261;
	for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
	return ((h >>> 0) % 1000) / 1000;
}

const LABEL_SCORE = { good: 6, ok: 4, bad: 2 } as const;

/**
 * One past reviewer works through their whole queue, through the real queue and submit code.
 * Scores follow the Model Spec's GOOD/OK/BAD labels with some personal noise, so reviewers
 * mostly agree and sometimes do not; the reviews are spread over the past week.
 */
function reviewEverything(db: AppDB, userId: number, batchId: number, who: string) {
	const week = 7 * 24 * 3600_000;
	for (let n = 0; ; n++) {
		const { itemId } = claimNextItem(db, userId, batchId);
		if (itemId === null) return;
		const rows = db.select().from(responses).where(eq(responses.itemId, itemId)).all();
		const scores: Record<string, number> = {};
		for (const r of rows) {
			const base = LABEL_SCORE[r.referenceLabel ?? 'ok'];
			const jitter = noise(`${who}:${r.id}`);
			scores[r.id] = Math.min(
				7,
				Math.max(1, base + (jitter < 0.2 ? -2 : jitter < 0.4 ? -1 : jitter > 0.85 ? 1 : 0))
			);
		}
		const ranks = Object.fromEntries(
			rows.map((r) => [r.id, 1 + rows.filter((o) => scores[o.id] > scores[r.id]).length])
		);
		const when = new Date(
			Date.now() - week + (n * week) / 200 + noise(`${who}:${itemId}:t`) * 3600_000
		);
		submitReview(
			db,
			userId,
			itemId,
			{ scores, ranks, timeSpentMs: Math.round(40_000 + noise(`${who}:${itemId}:s`) * 260_000) },
			when
		);
	}
}

/**
 * Fills an empty database with the demo's content, through the same import code as real use:
 * the Model Spec as an open calibration batch that two researchers have already reviewed in
 * full (a third, rosa, has a fresh queue), and one Open Character Training constitution.
 */
export async function seedDemo(db: AppDB, samplesDir = SAMPLES_DIR): Promise<void> {
	const ids: Record<string, number> = {};
	for (const account of DEMO_ACCOUNTS)
		ids[account.username] = (await createUser(db, null, account)).id;

	const spec = await importFile(db, join(samplesDir, 'model-spec', 'model_spec.md'), {
		actorId: ids.lead,
		format: 'model-spec',
		batch: DEMO_MODEL_SPEC_BATCH,
		settings: { overlap: 3, blind: true, calibration: true }
	});
	expectImported(spec, 'the Model Spec');
	if (spec.ok && spec.kind === 'batch') {
		openBatch(db, ids.lead, spec.batchId);
		for (const researcher of ['rosa', ...PAST_REVIEWERS]) {
			assignResearcher(db, ids.admin, spec.batchId, ids[researcher], null);
		}
		for (const researcher of PAST_REVIEWERS) {
			reviewEverything(db, ids[researcher], spec.batchId, researcher);
		}
	}

	const oct = await importFile(
		db,
		join(samplesDir, 'open-character-training', 'few-shot', 'humor.jsonl'),
		{ actorId: ids.lead, format: 'oct', constitution: 'Humor (Open Character Training)' }
	);
	expectImported(oct, 'the Open Character Training constitution');
}

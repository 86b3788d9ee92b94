import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { writeNativeFile } from '../../../../tests/support/import-leftovers';
import type { ImportProgress } from '$lib/import-result';
import { createConstitution, createTrait, setTraitArchived } from '../catalog';
import type { AppDB } from '../db';
import { importFile } from './run';

/** Enough items for the write to commit many chunks before it meets the last line. */
const MANY = 12_000;

function rowCounts(db: AppDB) {
	const n = (table: string) =>
		db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)).n;
	return Object.fromEntries(
		['constitutions', 'traits', 'batches', 'items', 'responses', 'imports'].map((t) => [t, n(t)])
	);
}

const nothing = {
	constitutions: 0,
	traits: 0,
	batches: 0,
	items: 0,
	responses: 0,
	imports: 0
};

async function importWatched(db: AppDB, path: string, constitution = 'Fresh') {
	// Named, so that a file with nothing to detect its format by still reaches the JSONL reader.
	const format = 'native' as const;
	const lead = await makeUser(db, { role: 'lead' });
	const phases: ImportProgress['phase'][] = [];
	const written: number[] = [];
	const result = await importFile(db, path, {
		actorId: lead.id,
		format,
		constitution,
		batch: 'Once',
		onProgress: (p) => {
			if (phases.at(-1) !== p.phase) phases.push(p.phase);
			if (p.phase === 'writing') written.push(p.bytes / p.totalBytes);
		}
	});
	return { result, phases, written };
}

describe('a JSONL import reads a clean file once', () => {
	it('writes as it validates, with no pass that only checks', async () => {
		const db = createTestDb();
		const { result, phases, written } = await importWatched(db, writeNativeFile(MANY));
		expect(result).toMatchObject({ ok: true, items: MANY, responses: 2 * MANY });
		expect(phases).toEqual(['checking', 'writing']);
		// The write tells how far it has read, as the check did.
		expect(written.length).toBeGreaterThan(2);
		expect(written).toEqual([...written].sort((a, b) => a - b));
		expect(written.at(-1)).toBeGreaterThan(0.5);
		expect(written.at(-1)).toBeLessThanOrEqual(1);
	});

	it('stops at a bad last line, removes what it wrote, and reports like the full check', async () => {
		const db = createTestDb();
		const path = writeNativeFile(MANY);
		appendFileSync(path, '{"id": "broken", "trait": "warmth", "prompt": "p", "responses": [\n');
		const { result, phases } = await importWatched(db, path);
		expect(result).toMatchObject({ ok: false, code: 'invalid_file', totalIssues: 1 });
		expect(!result.ok && result.issues[0].line).toBe(MANY + 1);
		// The write got some way, then the full check read the file again for its report.
		expect(phases).toEqual(['checking', 'writing', 'validating']);
		// The constitution and trait it created went with the batch.
		expect(rowCounts(db)).toEqual(nothing);
	});

	it('finds an id used twice through the database, and names both lines', async () => {
		const db = createTestDb();
		const path = writeNativeFile(MANY);
		const third = readFileSync(path, 'utf8').split('\n')[2];
		appendFileSync(path, third + '\n');
		const { result } = await importWatched(db, path);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.issues).toEqual([
			{
				line: MANY + 1,
				path: 'id',
				message: 'The id "item-2" is also used on line 3; ids must be unique in a file.'
			}
		]);
		expect(rowCounts(db)).toEqual(nothing);
	});

	it('leaves an existing constitution as it was when a late item names an archived trait', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		const constitution = createConstitution(db, lead.id, { name: 'Kept' });
		createTrait(db, lead.id, constitution.id, { key: 'warmth', title: 'Warmth', description: '' });
		const { trait: old } = createTrait(db, lead.id, constitution.id, {
			key: 'old',
			title: 'Old',
			description: ''
		});
		setTraitArchived(db, lead.id, old.id, true);
		const before = rowCounts(db);
		const path = writeNativeFile(MANY);
		appendFileSync(
			path,
			JSON.stringify({
				id: 'late',
				trait: 'old',
				prompt: 'p',
				responses: [{ content: 'a' }, { content: 'b' }]
			}) + '\n'
		);
		const { result } = await importWatched(db, path, 'Kept');
		expect(!result.ok && result.issues.map((i) => i.message)).toEqual([
			'The trait "old" is archived, so it takes no new batches. Restore it first.'
		]);
		expect(rowCounts(db)).toEqual(before);
	});

	it("refuses a file of blank lines with the full check's message", async () => {
		const db = createTestDb();
		const path = writeNativeFile(1);
		writeFileSync(path, '\n\n  \n');
		const { result } = await importWatched(db, path);
		expect(!result.ok && result.issues.map((i) => i.message)).toEqual(['The file has no items.']);
		expect(rowCounts(db)).toEqual(nothing);
	});
});

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { fixturePath } from '../../../../tests/support/fixtures';
import { listAuditEvents } from '../audit';
import { setTraitArchived } from '../catalog';
import type { AppDB } from '../db';
import { batches, constitutions, items, prompts, responses, traits } from '../db/schema';
import { SAMPLES_DIR } from '../demo';
import type { ImportFailure } from '$lib/import-result';
import { importFile, type ImportOptions } from './run';

const fixture = fixturePath;

function tempFile(name: string, content: string): string {
	const path = join(makeTempDir('import-test-'), name);
	writeFileSync(path, content);
	return path;
}

function counts(db: AppDB) {
	const n = (
		table: typeof items | typeof batches | typeof constitutions | typeof responses | typeof traits
	) =>
		db
			.select({ n: sql<number>`count(*)` })
			.from(table)
			.get()!.n;
	return {
		batches: n(batches),
		items: n(items),
		responses: n(responses),
		constitutions: n(constitutions),
		traits: n(traits)
	};
}

async function setup() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const run = (path: string, options: Partial<ImportOptions> = {}) =>
		importFile(db, path, { actorId: lead.id, ...options });
	return { db, lead, run };
}

function expectFailure(result: Awaited<ReturnType<typeof importFile>>): ImportFailure {
	expect(result.ok).toBe(false);
	return result as ImportFailure;
}

describe('native JSONL import', () => {
	it('creates a draft batch with every item, response and field, and audits it', async () => {
		const { db, lead, run } = await setup();
		const result = await run(fixture('native.jsonl'), {
			batch: 'Warmth round 1',
			constitution: 'Demo'
		});
		expect(result).toMatchObject({
			ok: true,
			kind: 'batch',
			format: 'native',
			items: 3,
			responses: 7
		});
		const batch = db.select().from(batches).get()!;
		expect(batch).toMatchObject({
			name: 'Warmth round 1',
			status: 'draft',
			scalePoints: 7,
			overlap: 3,
			blind: true
		});

		const first = db.select().from(items).where(eq(items.externalId, 'warm-1')).get()!;
		expect(first.prompt).toEqual([{ role: 'user', content: 'I failed my driving test again.' }]);
		expect(first.metadata).toEqual({ source: 'hand-made' });
		const rs = db
			.select()
			.from(responses)
			.where(eq(responses.itemId, first.id))
			.orderBy(asc(responses.position))
			.all();
		expect(rs.map((r) => r.content)).toEqual([
			"That's rough. **Two tries** is common — want to go over what tripped you up?",
			'Practice more.',
			"Many people need several attempts. You'll get it."
		]);
		expect(rs[0]).toMatchObject({ externalId: 'a', model: 'model-a', aiScore: 6 });
		expect(rs[2]).toMatchObject({
			referenceLabel: 'good',
			referenceReason: 'kind and encouraging'
		});

		const conversation = db.select().from(items).where(eq(items.externalId, 'warm-2')).get()!;
		expect(conversation.prompt.map((t) => t.role)).toEqual(['system', 'user']);
		expect(
			db
				.select({ key: traits.key })
				.from(traits)
				.all()
				.map((t) => t.key)
				.sort()
		).toEqual(['curiosity', 'warmth']);

		const audit = listAuditEvents(db, { action: 'import.batch' }, 1).rows;
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor: lead.username, newValue: { items: 3, responses: 7 } });
	});

	it('says "already imported as batch X" for the same file and adds nothing', async () => {
		const { db, run } = await setup();
		await run(fixture('native.jsonl'), { batch: 'First' });
		const before = counts(db);
		const again = expectFailure(await run(fixture('native.jsonl'), { batch: 'Second' }));
		expect(again.code).toBe('already_imported');
		expect(again.message).toContain('already imported as batch "First"');
		expect(counts(db)).toEqual(before);
	});

	it('stores content exactly as given, markup and all', async () => {
		const { db, run } = await setup();
		const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>  trailing spaces  ';
		const path = tempFile(
			'xss.jsonl',
			JSON.stringify({
				trait: 'warmth',
				prompt: payload,
				responses: [{ content: payload }, { content: '\n\tindented' }]
			})
		);
		expect((await run(path)).ok).toBe(true);
		const stored = db.select().from(responses).orderBy(asc(responses.position)).all();
		expect(stored.map((r) => r.content)).toEqual([payload, '\n\tindented']);
	});
});

describe('bad input: every problem named by line and field, nothing written', () => {
	it('reports each bad line of a native file', async () => {
		const { db, run } = await setup();
		const result = expectFailure(await run(fixture('native-bad.jsonl')));
		expect(result.code).toBe('invalid_file');
		expect(result.message).toContain('Nothing was imported');
		const byLine = new Map(result.issues.map((i) => [i.line, i]));
		expect(byLine.get(2)?.message).toMatch(/JSON/i);
		expect(byLine.get(3)?.path).toBe('responses');
		expect(byLine.get(4)?.message).toContain('line 1');
		expect(byLine.get(5)?.path).toBe('responses[1].content');
		expect(byLine.get(6)?.path).toBe('responses[0].reference.label');
		expect(byLine.has(1)).toBe(false);
		expect(counts(db)).toEqual({ batches: 0, items: 0, responses: 0, constitutions: 0, traits: 0 });
	});

	it('enforces the file size limit', async () => {
		const { db, run } = await setup();
		const result = expectFailure(
			await run(fixture('native.jsonl'), { limits: { maxFileBytes: 100 } })
		);
		expect(result.code).toBe('file_too_large');
		expect(result.message).toMatch(/limit/);
		expect(counts(db).items).toBe(0);
	});

	it('refuses a document too large to read at once, while its hash is still being taken', async () => {
		const { db, run } = await setup();
		// Over the 50 MB a Model Spec may be, and large enough to be hashed on a worker thread,
		// which is stopped without its answer: that must not surface as an unhandled rejection.
		const path = join(makeTempDir('import-test-'), 'huge-spec.md');
		writeFileSync(path, Buffer.alloc(51 * 1024 * 1024, '# A heading\n'));
		const result = expectFailure(await run(path, { format: 'model-spec' }));
		expect(result.code).toBe('file_too_large');
		expect(counts(db)).toEqual({ batches: 0, items: 0, responses: 0, constitutions: 0, traits: 0 });
	});

	it('enforces the line length limit', async () => {
		const { db, run } = await setup();
		const result = expectFailure(
			await run(fixture('native.jsonl'), { limits: { maxLineBytes: 200 } })
		);
		expect(result.issues[0]).toMatchObject({ line: 1 });
		expect(result.issues[0].message).toMatch(/200/);
		expect(counts(db).items).toBe(0);
	});

	it('enforces the responses-per-item limit', async () => {
		const { db, run } = await setup();
		const result = expectFailure(
			await run(fixture('native.jsonl'), { limits: { maxResponses: 2 } })
		);
		expect(result.issues).toEqual([expect.objectContaining({ line: 1, path: 'responses' })]);
		expect(result.issues[0].message).toMatch(/2/);
		expect(counts(db).items).toBe(0);
	});

	it('enforces the response length limit', async () => {
		const { db, run } = await setup();
		const result = expectFailure(
			await run(fixture('native.jsonl'), { limits: { maxResponseChars: 30 } })
		);
		expect(result.issues.map((i) => i.path)).toContain('responses[0].content');
		expect(result.issues[0].message).toMatch(/30/);
		expect(counts(db).items).toBe(0);
	});

	it('refuses an empty file and an unknown format', async () => {
		const { db, run } = await setup();
		expect(expectFailure(await run(tempFile('empty.jsonl', ''))).message).toContain('empty');
		expect(expectFailure(await run(tempFile('x.csv', 'a,b\n1,2\n'))).code).toBe('unknown_format');
		expect(counts(db).constitutions).toBe(0);
	});

	it('refuses trait keys an existing constitution lacks', async () => {
		const { db, run } = await setup();
		await run(fixture('oct-small.json'), { constitution: 'Mine' });
		const result = expectFailure(await run(fixture('native.jsonl'), { constitution: 'Mine' }));
		expect(result.issues[0].message).toContain('has no trait "warmth"');
		expect(counts(db).batches).toBe(0);
	});

	it('refuses archived traits', async () => {
		const { db, lead, run } = await setup();
		await run(fixture('native.jsonl'), { constitution: 'Kept', batch: 'first' });
		const warmth = db.select().from(traits).where(eq(traits.key, 'warmth')).get()!;
		setTraitArchived(db, lead.id, warmth.id, true);
		const again = tempFile('more.jsonl', readFileSync(fixture('native.jsonl'), 'utf8') + '\n');
		const result = expectFailure(await run(again, { constitution: 'Kept', batch: 'second' }));
		expect(result.issues[0].message).toContain('"warmth" is archived');
		expect(counts(db).batches).toBe(1);
	});

	it('refuses a batch name that is taken', async () => {
		const { run } = await setup();
		await run(fixture('native.jsonl'), { batch: 'Same' });
		const result = expectFailure(await run(fixture('trl-standard.jsonl'), { batch: 'Same' }));
		expect(result.issues[0].message).toContain('already a batch named "Same"');
	});

	it('collects at most a hundred issues but counts them all', async () => {
		const { db, run } = await setup();
		const lines = Array.from({ length: 150 }, () => '{"trait":"x"}').join('\n');
		const result = expectFailure(await run(tempFile('many.jsonl', lines), { format: 'native' }));
		expect(result.issues).toHaveLength(100);
		expect(result.totalIssues).toBeGreaterThanOrEqual(150);
		expect(counts(db).items).toBe(0);
	});
});

describe('TRL preference import', () => {
	it('turns chosen/rejected into two responses with the AI suggestion', async () => {
		const { db, run } = await setup();
		const result = await run(fixture('trl-standard.jsonl'), {
			traitKey: 'honesty'
		});
		expect(result).toMatchObject({ ok: true, format: 'trl', items: 2, responses: 4 });
		const rs = db.select().from(responses).orderBy(asc(responses.id)).all();
		expect(rs[0]).toMatchObject({
			content: "It's been a curious one! What about yours?",
			aiRank: 1
		});
		expect(rs[1]).toMatchObject({ content: 'Fine.', aiRank: 2 });
		expect(db.select({ key: traits.key }).from(traits).get()?.key).toBe('honesty');
	});

	it('takes the shared message prefix as the prompt of an implicit conversational file', async () => {
		const { db, run } = await setup();
		const result = await run(fixture('trl-conversational-implicit.jsonl'));
		expect(result).toMatchObject({ ok: true, items: 2, responses: 4 });
		const second = db.select().from(items).orderBy(asc(items.id)).all()[1];
		expect(second.prompt).toEqual([
			{ role: 'system', content: 'Be concise.' },
			{ role: 'user', content: '2+2?' }
		]);
		const rs = db
			.select()
			.from(responses)
			.where(eq(responses.itemId, second.id))
			.orderBy(asc(responses.position))
			.all();
		expect(rs.map((r) => [r.content, r.aiRank])).toEqual([
			['4.', 1],
			['Let me think about this at great length...', 2]
		]);
	});
});

describe('Open Character Training import', () => {
	it('makes a constitution with one trait per entry and the questions as prompts', async () => {
		const { db, run } = await setup();
		const result = await run(fixture('oct-small.json'), { constitution: 'Curious and honest' });
		expect(result).toMatchObject({ ok: true, kind: 'constitution', traits: 2, prompts: 3 });
		const rows = db.select().from(traits).all();
		expect(rows).toHaveLength(2);
		expect(
			db
				.select()
				.from(prompts)
				.all()
				.map((p) => p.text)
		).toContain('Why do cats purr?');
	});

	it('lets a later native import attach responses to the waiting prompts', async () => {
		const { db, run } = await setup();
		await run(fixture('oct-small.json'), { constitution: 'Curious' });
		const trait = db.select().from(traits).orderBy(asc(traits.id)).get()!;
		const native = tempFile(
			'answers.jsonl',
			JSON.stringify({
				trait: trait.key,
				prompt: 'Why do cats purr?',
				responses: [{ content: 'Nobody is fully sure!' }, { content: 'Vibrations.' }]
			})
		);
		const result = await run(native, { constitution: 'Curious' });
		expect(result).toMatchObject({ ok: true, linkedPrompts: 1 });
		const item = db.select().from(items).get()!;
		const prompt = db.select().from(prompts).where(eq(prompts.id, item.promptId!)).get();
		expect(prompt?.text).toBe('Why do cats purr?');
	});

	it('imports every shipped constitution file, and the empty template with a clear message', async () => {
		const { db, run } = await setup();
		const dir = join(SAMPLES_DIR, 'open-character-training');
		for (const sub of ['hand-written', 'few-shot']) {
			for (const name of readdirSync(join(dir, sub))) {
				const result = await run(join(dir, sub, name), {
					format: 'oct',
					constitution: `${sub}/${name}`
				});
				if (name === 'template.txt') {
					expect(expectFailure(result).message).toContain('no traits');
				} else {
					expect(result, `${sub}/${name}`).toMatchObject({ ok: true, kind: 'constitution' });
				}
			}
		}
		expect(counts(db).constitutions).toBeGreaterThanOrEqual(19);
	});
});

describe('Model Spec import', () => {
	it('makes traits of sections and items of examples, with reference labels', async () => {
		const { db, run } = await setup();
		const result = await run(fixture('model-spec-small.md'));
		expect(result).toMatchObject({ ok: true, format: 'model-spec', items: 2, responses: 5 });
		const keys = db
			.select({ key: traits.key })
			.from(traits)
			.all()
			.map((t) => t.key)
			.sort();
		expect(keys).toEqual(['be_honest', 'be_warm']);
		const labels = db
			.select()
			.from(responses)
			.orderBy(asc(responses.id))
			.all()
			.map((r) => r.referenceLabel);
		expect(labels).toEqual(['good', 'bad', 'good', 'bad', 'ok']);
		const honest = db.select().from(items).orderBy(asc(items.id)).all()[1];
		expect(honest.prompt.map((t) => t.role)).toEqual(['developer', 'user']);
	});

	it('imports the shipped model_spec.md with no example and no candidate lost', async () => {
		const { db, run } = await setup();
		const text = readFileSync(join(SAMPLES_DIR, 'model-spec', 'model_spec.md'), 'utf8');
		// Counted independently of the parser: the candidates are the assistant turns inside
		// <comparison> blocks.
		const comparisons = [...text.matchAll(/<comparison>([\s\S]*?)<\/comparison>/g)];
		const candidates = comparisons.reduce(
			(n, m) => n + (m[1].match(/<assistant\b/g)?.length ?? 0),
			0
		);
		const result = await run(join(SAMPLES_DIR, 'model-spec', 'model_spec.md'));
		expect(result.ok).toBe(true);
		expect(counts(db).responses).toBe(candidates);
		const examples = text.match(/^\*\*Example\*\*/gm)?.length ?? 0;
		expect(examples).toBeGreaterThan(150);
		expect(counts(db).items).toBeGreaterThanOrEqual(examples);
		const labelled = db
			.select({ n: sql<number>`count(*)` })
			.from(responses)
			.where(sql`reference_label is not null`)
			.get()!.n;
		expect(labelled).toBe(candidates);
	});
});

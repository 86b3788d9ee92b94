import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { fixturePath } from '../../../../tests/support/fixtures';
import { countEveryTable, tempFile } from '../../../../tests/support/imports';
import type { ImportFailure, ImportResult } from '$lib/import-result';
import { items, responses } from '../db/schema';
import { importFile, type ImportOptions } from './run';

/**
 * Issue 11, "Trust": files that passed validation and then failed inside the write (a 500),
 * files imported silently changed, and messages that said the wrong thing. Each bad file must
 * come back as a list of problems with line and field, and leave every table as it was.
 */

async function setup() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const run = async (path: string, options: Partial<ImportOptions> = {}) =>
		importFile(db, path, { actorId: lead.id, ...options });
	/** Runs an import that must fail, and checks that it wrote nothing. */
	const refuse = async (path: string, options: Partial<ImportOptions> = {}) => {
		const before = countEveryTable(db);
		const result = await run(path, options);
		expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
		expect(countEveryTable(db)).toEqual(before);
		return result as ImportFailure;
	};
	return { db, run, refuse };
}

const jsonl = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const item = (extra: Record<string, unknown> = {}) => ({
	trait: 'warmth',
	prompt: 'Hello',
	responses: [{ content: 'Hi!' }, { content: 'Hey.' }],
	...extra
});
const nested = (depth: number): unknown => {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = { deeper: value };
	return value;
};
/** JSON nested `depth` levels deep, as text: JSON.stringify itself gives up at a few thousand. */
const nestedText = (depth: number) => '{"deeper":'.repeat(depth) + '"bottom"' + '}'.repeat(depth);
const expectOk = (result: ImportResult) =>
	expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);

describe('trait keys and texts the catalog refuses are file problems, found before writing', () => {
	it('native trait keys with a space, or starting with _ or -', async () => {
		const { refuse } = await setup();
		const path = tempFile(
			'keys.jsonl',
			jsonl(item({ trait: 'my trait' }), item({ trait: '_hidden' }), item({ trait: '-dash' }))
		);
		const result = await refuse(path);
		expect(result.code).toBe('invalid_file');
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[1, 'trait'],
			[2, 'trait'],
			[3, 'trait']
		]);
		expect(result.issues[0].message).toContain('"my trait"');
	});

	it('a TRL trait key the catalog would refuse', async () => {
		const { refuse } = await setup();
		const result = await refuse(fixturePath('trl-standard.jsonl'), { traitKey: 'bad key' });
		expect(result.issues).toEqual([expect.objectContaining({ line: 0, path: 'trait' })]);
	});

	it('Model Spec sections whose key, title, description or authority is out of bounds', async () => {
		const { refuse } = await setup();
		const example = ['**Example**: x', '~~~xml', '<user>', 'Hi', '</user>', '~~~', ''];
		const text = [
			`## ${'T'.repeat(201)} {#long_title authority=user}`,
			...example,
			'## Long description {#long_description authority=user}',
			'y'.repeat(50_001),
			...example,
			`## Authority {#authority authority=${'a'.repeat(41)}}`,
			...example,
			'## Bad key {#_bad authority=user}',
			...example,
			'## {#no_title authority=user}',
			...example
		].join('\n');
		const result = await refuse(tempFile('spec.md', text));
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[1, 'title'],
			[9, 'description'],
			[18, 'authority'],
			[26, 'key'],
			[34, 'title']
		]);
		expect(result.issues[0].message).toMatch(/200/);
		expect(result.issues[1].message).toMatch(/50,000/);
		expect(result.issues[2].message).toMatch(/40/);
	});

	it('an Open Character Training statement over the description limit', async () => {
		const { refuse } = await setup();
		const text = JSON.stringify([
			{ trait: 'I am kind.', questions: ['q'] },
			{ trait: `I am ${'very '.repeat(10_001)}long.`, questions: ['q'] }
		]);
		const result = await refuse(tempFile('long.json', text), { format: 'oct' });
		expect(result.issues).toEqual([
			expect.objectContaining({
				line: 2,
				path: 'description',
				message: expect.stringMatching(/50,000/)
			})
		]);
	});

	it('Open Character Training statements of odd shapes still make valid keys and titles', async () => {
		const { run } = await setup();
		const text = JSON.stringify([
			{ trait: 'I am - -- kind.', questions: ['a'] },
			{ trait: '...', questions: ['b'] },
			{ trait: `I ${'x'.repeat(300)} always.`, questions: ['c'] },
			{ trait: '_underscored_ words', questions: ['d'] }
		]);
		expectOk(await run(tempFile('odd.json', text), { format: 'oct' }));
	});

	it('an Open Character Training JSONL line over the line limit', async () => {
		const { refuse } = await setup();
		const text = jsonl(
			{ trait: 'I am kind.', questions: ['q'] },
			{ trait: 'I am brave.', questions: ['x'.repeat(500)] }
		);
		const result = await refuse(tempFile('few-shot.jsonl', text), {
			format: 'oct',
			limits: { maxLineBytes: 200 }
		});
		expect(result.issues).toEqual([
			expect.objectContaining({ line: 2, message: expect.stringMatching(/200 bytes/) })
		]);
	});
});

describe('names the catalog refuses are problems, not crashes', () => {
	it('a constitution named, or named after a file, with over 200 characters', async () => {
		const { refuse } = await setup();
		const named = await refuse(fixturePath('native.jsonl'), { constitution: 'c'.repeat(201) });
		expect(named.issues).toEqual([expect.objectContaining({ line: 0, path: 'constitution' })]);
		const long = `${'f'.repeat(250)}.json`;
		const after = await refuse(fixturePath('oct-small.json'), { fileName: long });
		expect(after.issues).toEqual([
			expect.objectContaining({ path: 'constitution', message: expect.stringMatching(/200/) })
		]);
		const spec = await refuse(fixturePath('model-spec-small.md'), {
			constitution: 'c'.repeat(201)
		});
		expect(spec.issues).toEqual([expect.objectContaining({ path: 'constitution' })]);
	});
});

describe('metadata nested deep or grown large is a file problem', () => {
	it('refuses item and response metadata nested thousands of levels deep', async () => {
		const { refuse } = await setup();
		const line = (metadata: string, responseMetadata = '{}') =>
			`{"trait":"warmth","prompt":"p","metadata":${metadata},` +
			`"responses":[{"content":"a","metadata":${responseMetadata}},{"content":"b"}]}\n`;
		const path = tempFile(
			'deep.jsonl',
			line(`{"a":${nestedText(5000)}}`) + line('{}', `{"a":${nestedText(3000)}}`)
		);
		const result = await refuse(path);
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[1, 'metadata'],
			[2, 'responses[0].metadata']
		]);
		expect(result.issues[0].message).toMatch(/32 levels/);
	});

	it('refuses metadata over 64 KB, and takes metadata just inside both bounds', async () => {
		const { run, refuse } = await setup();
		const big = tempFile('big.jsonl', jsonl(item({ metadata: { note: 'x'.repeat(70_000) } })));
		const result = await refuse(big);
		expect(result.issues).toEqual([
			expect.objectContaining({
				line: 1,
				path: 'metadata',
				message: expect.stringMatching(/64 KB/)
			})
		]);
		const fine = tempFile('fine.jsonl', jsonl(item({ metadata: nested(31) as object })));
		expectOk(await run(fine));
	});
});

describe('text is imported exactly, or refused', () => {
	const valid = Buffer.from(jsonl(item({ id: 'a' })));
	const broken = Buffer.concat([
		Buffer.from('{"id":"b","trait":"warmth","prompt":"caf'),
		Buffer.from([0xe9]), // Latin-1 é: not UTF-8
		Buffer.from('","responses":[{"content":"x"},{"content":"y"}]}\n')
	]);

	it('refuses invalid UTF-8 with its line number', async () => {
		const { refuse } = await setup();
		const result = await refuse(tempFile('latin1.jsonl', Buffer.concat([valid, broken])));
		expect(result.issues).toEqual([
			expect.objectContaining({ line: 2, message: expect.stringMatching(/UTF-8/) })
		]);
	});

	it('replaces invalid UTF-8 only when asked to', async () => {
		const { db, run } = await setup();
		const path = tempFile('latin1.jsonl', Buffer.concat([valid, broken]));
		expectOk(await run(path, { replaceInvalidUtf8: true }));
		expect(
			db
				.select({ text: items.promptText })
				.from(items)
				.all()
				.map((r) => r.text)
		).toContain('caf\ufffd');
	});

	it('refuses invalid UTF-8 in a Model Spec and in an Open Character Training list', async () => {
		const { refuse } = await setup();
		const spec = Buffer.concat([
			readFileSync(fixturePath('model-spec-small.md')),
			Buffer.from('\nA last line with \xff in it.\n', 'latin1')
		]);
		const specLines = readFileSync(fixturePath('model-spec-small.md'), 'utf8').split('\n').length;
		const specResult = await refuse(tempFile('spec.md', spec));
		expect(specResult.issues).toEqual([
			expect.objectContaining({ line: specLines + 1, message: expect.stringMatching(/UTF-8/) })
		]);
		const list = Buffer.concat([
			Buffer.from('[\n{"trait": "I am kind.", "questions": ["'),
			Buffer.from([0xc3, 0x28]),
			Buffer.from('"]}\n]\n')
		]);
		const octResult = await refuse(tempFile('list.json', list), { format: 'oct' });
		expect(octResult.issues).toEqual([
			expect.objectContaining({ line: 2, message: expect.stringMatching(/UTF-8/) })
		]);
	});

	it('refuses an escaped lone surrogate, naming its field', async () => {
		const { refuse } = await setup();
		const path = tempFile(
			'surrogate.jsonl',
			'{"trait":"warmth","prompt":"hi","responses":[{"content":"ok"},{"content":"bad \\ud800 here"}]}\n' +
				'{"trait":"warmth","prompt":"hi","responses":[{"content":"a"},{"content":"b"}],"metadata":{"\\udc00":1}}\n'
		);
		const result = await refuse(path);
		expect(result.issues.map((i) => [i.line, i.path])).toEqual([
			[1, 'responses[1].content'],
			[2, 'metadata']
		]);
		expect(result.issues[0].message).toMatch(/surrogate/);
		const trl = tempFile(
			'surrogate-trl.jsonl',
			'{"prompt":"p","chosen":"\\udbff","rejected":"b"}\n'
		);
		const trlResult = await refuse(trl, { format: 'trl' });
		expect(trlResult.issues.map((i) => [i.line, i.path])).toEqual([[1, 'chosen']]);
	});
});

describe('messages say what is wrong', () => {
	it('a trait of the wrong type is not "required"', async () => {
		const { refuse } = await setup();
		const result = await refuse(
			tempFile('types.jsonl', jsonl(item({ trait: 5 }), { prompt: 'p', responses: [] }))
		);
		const trait = (line: number) =>
			result.issues.find((i) => i.line === line && i.path === 'trait');
		expect(trait(1)?.message).toMatch(/must be a string/);
		expect(trait(1)?.message).not.toMatch(/required/);
		expect(trait(2)?.message).toMatch(/required/);
	});

	it('a TRL side of the wrong type is not "required", a missing one is', async () => {
		const { refuse } = await setup();
		const path = tempFile(
			'trl.jsonl',
			jsonl({ prompt: 'p', chosen: 5, rejected: 'r' }, { prompt: 'p', chosen: 'c' })
		);
		const result = await refuse(path, { format: 'trl' });
		expect(result.issues.find((i) => i.line === 1)).toMatchObject({ path: 'chosen' });
		expect(result.issues.find((i) => i.line === 1)?.message).not.toMatch(/required/);
		expect(result.issues.find((i) => i.line === 2)).toMatchObject({
			path: 'rejected',
			message: expect.stringMatching(/required/)
		});
	});

	it('a JSONL file whose first line is a list of numbers is not taken for OCT', async () => {
		const { refuse } = await setup();
		const path = tempFile(
			'list-first.jsonl',
			'[1,2,3]\n' + jsonl({ trait: 'I am kind.', questions: ['q'] })
		);
		const result = await refuse(path);
		expect(result.code).toBe('unknown_format');
	});
});

describe('what was written stays readable', () => {
	it('metadata at the depth limit is written and read back', async () => {
		const { db, run } = await setup();
		expectOk(await run(tempFile('ok.jsonl', jsonl(item({ metadata: { a: nested(30) } })))));
		const [row] = db.select({ metadata: items.metadata }).from(items).all();
		expect(JSON.stringify(row.metadata)).toContain('bottom');
		expect(db.select().from(responses).all()).toHaveLength(2);
	});
});

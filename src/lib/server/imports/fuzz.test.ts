import { makeTempDir } from '../../../../tests/support/temp';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { fixturePath } from '../../../../tests/support/fixtures';
import { countEveryTable } from '../../../../tests/support/imports';
import type { ImportFormatChoice } from '$lib/import-formats';
import { mulberry32 } from '$lib/prng';
import { SAMPLES_DIR } from '../demo';
import { importFile } from './run';

/**
 * Every importer, fed seeded garbage: random bytes, valid files cut short, deep nesting, huge
 * lines, invalid UTF-8, NULs and valid lines mutated. Whatever comes in, the answer is a success
 * or a list of problems, never a thrown error; and a list of problems means every table is
 * exactly as it was. A failure prints the case's name and seed, so it can be replayed.
 */

const SEED = 20_261_129;
const CASES_PER_KIND = 10;
/** Small limits, so that "too long" is cheap to reach. */
const LIMITS = { maxLineBytes: 64 * 1024, maxFileBytes: 8 * 1024 * 1024 };

const read = (path: string) => readFileSync(path);
const OCT_DIR = join(SAMPLES_DIR, 'open-character-training');
const VALID: Record<string, Buffer[]> = {
	native: [read(fixturePath('native.jsonl')), read(fixturePath('export-items.jsonl'))],
	trl: [
		read(fixturePath('trl-standard.jsonl')),
		read(fixturePath('trl-conversational-implicit.jsonl'))
	],
	'oct-json': [
		read(fixturePath('oct-small.json')),
		read(join(OCT_DIR, 'hand-written', 'humor.txt'))
	],
	'oct-jsonl': readdirSync(join(OCT_DIR, 'few-shot'))
		.slice(0, 2)
		.map((f) => read(join(OCT_DIR, 'few-shot', f))),
	'model-spec': [
		read(fixturePath('model-spec-small.md')),
		read(join(SAMPLES_DIR, 'model-spec', 'model_spec.md')).subarray(0, 60_000)
	]
};

type Kind = keyof typeof VALID;
const KINDS = Object.keys(VALID) as Kind[];
const IMPORTERS: { name: string; format: ImportFormatChoice; kind: Kind | 'any'; ext: string }[] = [
	{ name: 'native', format: 'native', kind: 'native', ext: 'jsonl' },
	{ name: 'trl', format: 'trl', kind: 'trl', ext: 'jsonl' },
	{ name: 'oct json', format: 'oct', kind: 'oct-json', ext: 'json' },
	{ name: 'oct jsonl', format: 'oct', kind: 'oct-jsonl', ext: 'jsonl' },
	{ name: 'model-spec', format: 'model-spec', kind: 'model-spec', ext: 'md' },
	{ name: 'auto-detect', format: 'auto', kind: 'any', ext: 'txt' }
];

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const int = (random: Random, max: number) => Math.floor(random() * max);

function randomBytes(random: Random, n: number): Buffer {
	return Buffer.from(Array.from({ length: n }, () => int(random, 256)));
}

/** Valid lines with one change each: a character gone, a token dropped in, a value's type swapped. */
function mutateLines(random: Random, file: Buffer): Buffer {
	const lines = file.toString('utf8').split('\n');
	const tokens = [
		'5',
		'null',
		'[]',
		'{}',
		'"\\ud800"',
		'"\\udc00x"',
		'"bad key"',
		'"_x"',
		'true',
		'-1e999',
		'"' + 'x'.repeat(300) + '"',
		'[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]',
		// Markdown that a Model Spec reads as structure.
		'\n## {#_bad authority=x}\n',
		`\n## ${'T'.repeat(250)} {#long}\n**Example**: x\n~~~xml\n<user>\nhi\n</user>\n~~~\n`,
		'\n~~~xml\n',
		'<comparison>',
		'<user ',
		'<!-- GOOD',
		'</assistant>'
	];
	for (let k = 0; k < 1 + int(random, 4); k++) {
		const i = int(random, lines.length);
		const line = lines[i];
		const at = int(random, line.length + 1);
		const change = int(random, 4);
		if (change === 0) lines[i] = line.slice(0, at) + line.slice(at + 1);
		else if (change === 1) lines[i] = line.slice(0, at) + pick(random, tokens) + line.slice(at);
		else if (change === 2)
			lines[i] = line.replace(/"[^"\\]*"(?=\s*[,}\]])/, () => pick(random, tokens));
		else lines.splice(i, 0, line);
	}
	return Buffer.from(lines.join('\n'));
}

function deepNesting(random: Random, kind: Kind): Buffer {
	const depth = pick(random, [33, 3_000, 5_000, 100_000]);
	const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
	if (kind === 'model-spec') return Buffer.from('## S {#s}\n' + '> '.repeat(depth) + 'x\n');
	if (kind === 'oct-json') return Buffer.from('['.repeat(depth) + ']'.repeat(depth));
	if (kind === 'trl') return Buffer.from(`{"prompt":${deep},"chosen":"a","rejected":"b"}\n`);
	return Buffer.from(
		`{"trait":"t","prompt":"p","responses":[{"content":"a","metadata":${deep}},{"content":"b"}]}\n`
	);
}

const GENERATORS: Record<string, (random: Random, kind: Kind) => Buffer> = {
	'random bytes': (random) => randomBytes(random, 1 + int(random, 2000)),
	truncated: (random, kind) => {
		const file = pick(random, VALID[kind]);
		return file.subarray(0, 1 + int(random, file.length - 1));
	},
	'deep nesting': deepNesting,
	'huge line': (random, kind) =>
		Buffer.concat([pick(random, VALID[kind]), Buffer.from('\n' + 'x'.repeat(70_000) + '\n')]),
	'invalid UTF-8': (random, kind) => {
		const file = Buffer.from(pick(random, VALID[kind]));
		file[int(random, file.length)] = pick(random, [0xff, 0xc3, 0xed, 0x80]);
		return file;
	},
	binary: (random, kind) => {
		const file = Buffer.from(pick(random, VALID[kind]));
		for (let k = 0; k < 5; k++) file[int(random, file.length)] = 0;
		return file;
	},
	'mutated lines': (random, kind) => mutateLines(random, pick(random, VALID[kind]))
};

describe('every importer, fed garbage, answers with problems or a success', () => {
	const dir = makeTempDir('import-fuzz-');

	it.each(IMPORTERS)('$name', async ({ name, format, kind, ext }) => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		let n = 0;
		for (const [generator, generate] of Object.entries(GENERATORS)) {
			for (let k = 0; k < CASES_PER_KIND; k++) {
				n += 1;
				const seed = SEED + n;
				const label = `${name} / ${generator} #${k} (seed ${seed})`;
				const path = join(dir, `${name.replace(/\W/g, '-')}-${n}.${ext}`);
				const random = mulberry32(seed);
				writeFileSync(path, generate(random, kind === 'any' ? pick(random, KINDS) : kind));
				const before = countEveryTable(db);
				const result = await importFile(db, path, {
					actorId: lead.id,
					format,
					constitution: `fuzz ${n}`,
					batch: `fuzz ${n}`,
					limits: LIMITS
				}).catch((e: unknown) => {
					throw new Error(`${label} threw: ${e instanceof Error ? e.stack : e}`);
				});
				if (result.ok) continue;
				expect(result.message, label).toBeTruthy();
				expect(
					result.issues.every((i) => i.message && i.line >= 0),
					label
				).toBe(true);
				expect(countEveryTable(db), label).toEqual(before);
			}
		}
		expect(n).toBe(Object.keys(GENERATORS).length * CASES_PER_KIND);
	});
});

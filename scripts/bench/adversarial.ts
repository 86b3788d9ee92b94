// Adversarial import benchmark (issue 11): 50 MB files built to make the importers slow. Before
// issue 11 the Model Spec parser never finished on the first three (quadratic fence search,
// backtracking regexes); now each is refused, or read, in time proportional to its size.
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatFixed, formatMegabytes } from '../../src/lib/format';
import { openDatabase } from '../../src/lib/server/db';
import { importFile } from '../../src/lib/server/imports';
import { BENCH_DIR, table } from './common';

const MB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_ADVERSARIAL_MB ?? 50) * MB;
const SECTION = '## Section {#section authority=user}\n';

/** Each file: a name, the format to force, and the text that is repeated to fill it. */
const FILES: {
	name: string;
	format: 'model-spec' | 'native';
	head: string;
	unit: string;
	tail?: string;
}[] = [
	{ name: 'fence pairs', format: 'model-spec', head: SECTION, unit: '~~~xml\n~~~\n' },
	{
		name: 'unclosed fences',
		format: 'model-spec',
		head: SECTION + '**Example**: x\n',
		unit: '~~~xml\n'
	},
	{ name: 'header of "{#" (one line)', format: 'model-spec', head: '# ', unit: '{#a ' },
	{
		name: 'unclosed tags and labels',
		format: 'model-spec',
		head: SECTION + '**Example**: x\n~~~xml\n<user>\nhi\n</user>\n<comparison>\n<assistant>\n',
		unit: '<user <!-- GOOD \n',
		tail: '</assistant>\n</comparison>\n~~~\n'
	},
	{
		name: 'comparisons repeating the conversation',
		format: 'model-spec',
		head: SECTION + '**Example**: x\n~~~xml\n',
		unit: '<user>\nu\n</user>\n<comparison>\n<assistant>\na\n</assistant>\n</comparison>\n',
		tail: '~~~\n'
	},
	{
		name: 'native lines, metadata 3,000 deep',
		format: 'native',
		head: '',
		unit:
			'{"trait":"t","prompt":"p","responses":[{"content":"a"},{"content":"b"}],"metadata":' +
			'{"a":'.repeat(3000) +
			'1' +
			'}'.repeat(3001) +
			'\n'
	}
];

async function generate(path: string, head: string, unit: string, tail = ''): Promise<void> {
	if (existsSync(path)) return;
	const out = createWriteStream(path);
	out.write(head);
	const block = unit.repeat(Math.max(1, Math.floor(MB / unit.length)));
	const end = SIZE - head.length - tail.length;
	for (let written = 0; written + block.length <= end; written += block.length) {
		if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
	}
	await new Promise((r) => out.end(tail, () => r(undefined)));
}

const db = openDatabase(':memory:');
const rows: [string, string, string][] = [['file', 'seconds', 'answer']];
for (const file of FILES) {
	const path = join(BENCH_DIR, `adversarial-${file.name.replace(/\W+/g, '-')}.txt`);
	await generate(path, file.head, file.unit, file.tail);
	const started = performance.now();
	const result = await importFile(db, path, {
		actorId: null,
		format: file.format,
		constitution: 'adversarial',
		limits: { maxFileBytes: SIZE + MB }
	});
	const seconds = (performance.now() - started) / 1000;
	const answer = result.ok
		? `imported ${result.kind}`
		: `${result.code}: ${result.issues[0]?.message ?? result.message}`;
	rows.push([file.name, formatFixed(seconds, 2), answer.slice(0, 100)]);
}
console.log(`Adversarial imports, ${formatMegabytes(SIZE, 0)} each:`);
table(rows);

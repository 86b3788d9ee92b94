import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { buildConversationBatch } from '../../../../tests/support/export-conversations';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { makeTempDir } from '../../../../tests/support/temp';
import type { AppDB } from '../db';
import { itemSplit } from './hub-dataset';
import { exportOptionsSchema, runExport, verifyExport, type ExportOptionsInput } from './index';
import { extractTar, listTar, tarHeader } from './tar';

// A real YAML parser reads the card's front matter: js-yaml is in node_modules through eslint,
// and ships no types, hence the require.
const yaml = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };

type FrontMatter = {
	license: string;
	task_categories: string[];
	size_categories: string[];
	tags: string[];
	annotations_creators: string[];
	source_datasets: string[];
	configs: {
		config_name: string;
		default?: boolean;
		data_files: { split: string; path: string | string[] }[];
	}[];
};

let db: AppDB;
let batchIds: number[];
let lead: number;

beforeEach(async () => {
	db = createTestDb();
	const plain = await buildExportBatch(db, { lock: true });
	const conversations = await buildConversationBatch(db);
	batchIds = [plain.batchId, conversations.batchId];
	lead = plain.lead.id;
});

async function exportFolder(input: Partial<ExportOptionsInput>) {
	const dir = makeTempDir('hub-');
	const options = exportOptionsSchema.parse({
		batchIds,
		format: 'llama-factory-sharegpt',
		output: 'hf-dataset',
		...input
	});
	const record = await runExport(db, lead, options, { dir });
	const archive = join(dir, record.fileName);
	const folder = makeTempDir('hub-folder-');
	await extractTar(archive, folder);
	const read = (path: string) => readFileSync(join(folder, path), 'utf8');
	const lines = (path: string) =>
		read(path)
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l) as { metadata: { item_id: string; trait_key: string } });
	return { dir, record, archive, folder, read, lines };
}

function frontMatter(readme: string): FrontMatter {
	const match = /^---\n([\s\S]*?)\n---\n/.exec(readme);
	if (!match) throw new Error('no front matter');
	return yaml.load(match[1]) as FrontMatter;
}

describe('Hugging Face dataset folder', () => {
	it('is one tar archive whose hash the record keeps, and verify-export checks', async () => {
		const { dir, record, archive, folder } = await exportFolder({});
		expect(record.fileName).toMatch(/-llama-factory-sharegpt-[0-9a-f]{12}\.tar$/);
		const bytes = readFileSync(archive);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.sha256);
		expect(bytes.length).toBe(record.bytes);
		expect((await verifyExport(db, record.id, dir))?.problems).toEqual([]);
		// The system's tar reads it, and gives the same files as our reader.
		const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
		expect(listed).toEqual((await listTar(archive)).map((e) => e.path));
		expect(listed).toEqual([
			'data/curiosity/train.jsonl',
			'data/helpfulness/train.jsonl',
			'data/no/train.jsonl',
			'data/warmth/train.jsonl',
			'README.md',
			'dataset_info.json'
		]);
		const unpacked = makeTempDir('hub-system-tar-');
		execFileSync('tar', ['-xf', archive, '-C', unpacked]);
		for (const path of listed) {
			expect(readFileSync(join(unpacked, path))).toEqual(readFileSync(join(folder, path)));
		}
		expect(readdirSync(dir).filter((n) => n.startsWith('.writing-'))).toEqual([]);
	});

	it('has a card whose front matter fills the Hub’s fields, with one config per trait and all', async () => {
		const { record, read, lines } = await exportFolder({ license: 'CC-BY-4.0' });
		const readme = read('README.md');
		const meta = frontMatter(readme);
		expect(meta).toMatchObject({
			license: 'cc-by-4.0',
			task_categories: ['text-generation'],
			size_categories: ['n<1K'],
			annotations_creators: ['expert-generated'],
			source_datasets: ['original']
		});
		// The trait `no` stays a string: every value is quoted.
		expect(meta.tags).toEqual(expect.arrayContaining(['curiosity', 'helpfulness', 'no', 'warmth']));
		const names = meta.configs.map((c) => c.config_name);
		expect(names).toEqual(['all', 'curiosity', 'helpfulness', 'no', 'warmth']);
		expect(meta.configs[0].default).toBe(true);
		let total = 0;
		for (const config of meta.configs) {
			for (const { split, path } of config.data_files) {
				expect(split).toBe('train');
				for (const file of [path].flat()) {
					const found = lines(file);
					if (config.config_name !== 'all') {
						expect(found.every((l) => l.metadata.trait_key === config.config_name)).toBe(true);
						total += found.length;
					}
				}
			}
		}
		expect(total).toBe(record.rowCount);
		// Then the prose of the dataset card, with each file's hash.
		expect(readme).toContain('## Batches');
		expect(readme).toContain('## How pairs are made');
		const hash = createHash('sha256').update(read('data/no/train.jsonl')).digest('hex');
		expect(readme).toContain(`| \`data/no/train.jsonl\` | 2 |`);
		expect(readme).toContain(`\`${hash}\``);
		expect(record.card).toContain('- Test split: none');
	});

	it('splits by item with a seed: the same seed, the same split; pairs never straddle', async () => {
		const settings = { strategy: 'all-pairs' as const, testShare: 0.5, seed: 7 };
		const first = await exportFolder(settings);
		const meta = frontMatter(first.read('README.md'));
		const splitOf = new Map<string, string>();
		for (const { split, path } of meta.configs[0].data_files) {
			for (const file of [path].flat()) {
				for (const line of first.lines(file)) {
					const seen = splitOf.get(line.metadata.item_id);
					expect(seen === undefined || seen === split).toBe(true);
					splitOf.set(line.metadata.item_id, split);
				}
			}
		}
		expect(new Set(splitOf.values())).toEqual(new Set(['train', 'test']));
		const again = await exportFolder(settings);
		expect(again.read('README.md').replace(/\| .*\|\n/g, '')).toBe(
			first.read('README.md').replace(/\| .*\|\n/g, '')
		);
		expect(itemSplit({ id: 3 }, 0.5, 7)).toBe(itemSplit({ id: 3 }, 0.5, 7));
		expect(itemSplit({ id: 3 }, 0, 7)).toBe('train');
	});

	it('registers every trait and split with LLaMA-Factory in dataset_info.json', async () => {
		const { read } = await exportFolder({ testShare: 0.5, seed: 7 });
		const info = JSON.parse(read('dataset_info.json')) as Record<string, { file_name: string }>;
		expect(Object.keys(info).length).toBeGreaterThanOrEqual(4);
		for (const [name, entry] of Object.entries(info)) {
			expect(entry).toMatchObject({ ranking: true, formatting: 'sharegpt' });
			expect(entry.file_name).toMatch(/^data\/[^/]+\/(train|test)\.jsonl$/);
			expect(name.endsWith('_test')).toBe(entry.file_name.endsWith('test.jsonl'));
			expect(read(entry.file_name).length).toBeGreaterThan(0);
		}
	});

	it('writes CSV files with their header, and a raw-reviews card', async () => {
		const { read } = await exportFolder({ format: 'reviews-csv' });
		expect(read('data/warmth/train.csv').split('\n')[0]).toMatch(/^batch,item_id,/);
		expect(frontMatter(read('README.md')).task_categories).toEqual(['text-classification']);
	});
});

describe('tar', () => {
	it('puts a name over 100 bytes in the prefix, as ustar does', async () => {
		const long = `data/${'t'.repeat(100)}/train.jsonl`;
		const dir = makeTempDir('tar-');
		const archive = join(dir, 'long.tar');
		const { writeFileSync } = await import('node:fs');
		const body = Buffer.from('{}\n');
		writeFileSync(
			archive,
			Buffer.concat([
				tarHeader(long, body.length, new Date()),
				body,
				Buffer.alloc(512 - body.length),
				Buffer.alloc(1024)
			])
		);
		expect(execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim()).toBe(long);
		expect((await listTar(archive)).map((e) => e.path)).toEqual([long]);
	});
});

import { mulberry32 } from '$lib/prng';
import { createReadStream } from 'node:fs';
import type { ItemRecord } from '../item-records';
import { csvHeader, datasetInfoEntry, isLlamaFactoryFormat } from './formats';
import { hubConfigs, writeHubReadme, type HubFile } from './hub-card';
import { fileExtension, type ExportOptions } from './options';
import type { ExportSink } from './sink';
import { stageExportFile, type StagedFile } from './staging';
import { TAR_END, tarHeader, tarPadding } from './tar';

/**
 * A Hugging Face dataset folder that `datasets.load_dataset` reads: `data/<trait>/train.jsonl`
 * (and `test.jsonl` with a split), a README.md whose front matter names one config per trait
 * plus one for all of them, and, for LLaMA-Factory formats, a dataset_info.json. It is stored
 * as one tar archive, so the record's SHA-256 covers the whole folder and verify-export and
 * downloads work as for any export.
 *
 * Each data file is written to its own temporary file as the items stream past (memory stays
 * flat), then copied into the archive, whose headers need each file's size.
 */

type DataFile = HubFile & { staged: StagedFile | null; pending: string };

/**
 * The split of an item: drawn once per item from the seed and the item's id, so an item keeps
 * its split whatever else the export holds, and its pairs never straddle train and test.
 */
export function itemSplit(item: Pick<ItemRecord, 'id'>, testShare: number, seed: number) {
	if (testShare <= 0) return 'train';
	const mixed = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(item.id, 0x85ebca6b)) >>> 0;
	return mulberry32(mixed)() < testShare ? 'test' : 'train';
}

export async function stageHubDataset(dir: string, options: ExportOptions): Promise<ExportSink> {
	const extension = fileExtension(options.format);
	const header = options.format === 'reviews-csv' ? csvHeader() : '';
	const files = new Map<string, DataFile>();
	let archive: StagedFile | null = null;

	const flush = async () => {
		for (const file of files.values()) {
			if (!file.pending) continue;
			file.staged ??= await stageExportFile(dir);
			const text = file.pending;
			file.pending = '';
			await file.staged.write(text);
		}
	};

	const pack = async (card: Parameters<ExportSink['finish']>[0]) => {
		await flush();
		// An export with no line still holds one (empty) file, so that the folder loads.
		if (files.size === 0) {
			const path = `data/train.${extension}`;
			files.set(path, emptyFile(path, '', 'train', header));
			await flush();
		}
		const data = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
		for (const file of data) {
			file.staged ??= await stageExportFile(dir);
			Object.assign(file, await file.staged.finish());
		}
		const extras = [
			{ path: 'README.md', text: writeHubReadme(card, data) },
			...(isLlamaFactoryFormat(options.format)
				? [{ path: 'dataset_info.json', text: hubDatasetInfo(options, data) }]
				: [])
		];
		archive = await stageExportFile(dir);
		const mtime = new Date();
		for (const file of data) {
			await archive.write(tarHeader(file.path, file.bytes, mtime));
			for await (const chunk of createReadStream(file.staged!.location())) {
				await archive.write(chunk as Buffer);
			}
			await archive.write(tarPadding(file.bytes));
		}
		for (const extra of extras) {
			const bytes = Buffer.from(extra.text, 'utf8');
			await archive.write(tarHeader(extra.path, bytes.length, mtime));
			await archive.write(Buffer.concat([bytes, tarPadding(bytes.length)]));
		}
		await archive.write(TAR_END);
		const measured = await archive.finish();
		// The data files live on in the archive.
		for (const file of data) await file.staged!.discard();
		return measured;
	};

	return {
		extension: 'tar',
		add: (item, text, rows) => {
			const split = itemSplit(item, options.testShare, options.seed);
			const path = `data/${item.traitKey}/${split}.${extension}`;
			let file = files.get(path);
			if (!file) files.set(path, (file = emptyFile(path, item.traitKey, split, header)));
			file.pending += text;
			file.rows += rows;
		},
		flush,
		finish: pack,
		place: (fileName) => archive!.place(fileName),
		discard: async () => {
			for (const file of files.values()) await file.staged?.discard();
			await archive?.discard();
		}
	};
}

function emptyFile(path: string, trait: string, split: 'train' | 'test', header: string) {
	return { path, trait, split, rows: 0, sha256: '', bytes: 0, staged: null, pending: header };
}

/** LLaMA-Factory's entries for the folder: one dataset per trait and split. */
function hubDatasetInfo(options: ExportOptions, files: HubFile[]): string {
	const entries: Record<string, object> = {};
	for (const config of hubConfigs(files).filter((c) => !c.all)) {
		for (const { split, paths } of config.splits) {
			const name = split === 'train' ? config.name : `${config.name}_${split}`;
			entries[name] = datasetInfoEntry(options.format, paths[0]);
		}
	}
	return JSON.stringify(entries, null, 2) + '\n';
}

import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { datasetInfoEntry, type ExportFormat } from '../../src/lib/server/exports';

/**
 * Adds the file's entry to the dataset_info.json beside it, keeping the entries already there:
 * LLaMA-Factory reads every dataset of its data folder from that one file. Returns the name.
 */
export async function addDatasetInfo(out: string, format: ExportFormat) {
	const path = join(dirname(out), 'dataset_info.json');
	let entries: Record<string, unknown> = {};
	try {
		entries = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') entries = {};
		else return `not added: ${path} is not a JSON object we can read (${(e as Error).message})`;
	}
	const name = basename(out).replace(/\.[^.]+$/, '');
	entries[name] = datasetInfoEntry(format, basename(out));
	await writeFile(path, JSON.stringify(entries, null, 2) + '\n');
	return `"${name}" in ${path}`;
}

import type { ItemRecord } from '../item-records';
import type { CardInput } from './card';
import { csvHeader } from './formats';
import { fileExtension, type ExportOptions } from './options';
import { stageExportFile } from './staging';

/**
 * Where an export's lines go while it runs: one file, or a dataset folder's files (see
 * hub-dataset.ts). Lines are gathered per chunk of items and written once per chunk.
 */
export type ExportSink = {
	/** The extension of the stored export file. */
	extension: string;
	add: (item: ItemRecord, text: string, rows: number) => void;
	/** Writes what was added since the last flush. */
	flush: () => Promise<void>;
	/** Flushes the stored file to disk, gives its hash and size. The card goes in a folder. */
	finish: (card: Omit<CardInput, 'record'>) => Promise<{ sha256: string; bytes: number }>;
	/** Gives the stored file its final name, durably (see staging.ts). */
	place: (fileName: string) => void;
	/** Removes every file the export wrote: it failed and will not be recorded. */
	discard: () => Promise<void>;
};

/** One file, with the header a CSV needs. */
export async function stageSingleFile(dir: string, options: ExportOptions): Promise<ExportSink> {
	const staged = await stageExportFile(dir);
	let pending = options.format === 'reviews-csv' ? csvHeader() : '';
	const flush = async () => {
		if (!pending) return;
		const text = pending;
		pending = '';
		await staged.write(text);
	};
	return {
		extension: fileExtension(options.format),
		add: (_item, text) => {
			pending += text;
		},
		flush,
		finish: async () => {
			await flush();
			return staged.finish();
		},
		place: staged.place,
		discard: staged.discard
	};
}

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An export file on its way to the exports folder. It is written under a temporary name that
 * says which process writes it, flushed to disk, then renamed to its final name with the folder
 * flushed too, all before its record is written: so a record never names a file that a crash or
 * a power cut could leave missing or cut short.
 */
export type StagedFile = {
	write: (data: string | Buffer) => Promise<void>;
	/** Flushes the file to disk and gives its hash and size. */
	finish: () => Promise<{ sha256: string; bytes: number }>;
	/** Gives the finished file its final name, durably. Synchronous: it runs in a transaction. */
	place: (fileName: string) => void;
	/** Removes the file, wherever it is: the export failed and will not be recorded. */
	discard: () => Promise<void>;
	/** Where the file is now: a dataset folder's data files are read back into its archive. */
	location: () => string;
};

const TEMPORARY = /^\.writing-(?:(\d+)-)?[0-9a-f]+$/;

/** Temporary files this process is writing now: cleanup leaves them alone. */
const writing = new Set<string>();

/**
 * The process that writes a temporary file: 'ours' (and still writing), its pid, or null
 * when the name does not say (files from before names carried a pid). Undefined: not a
 * temporary file of an export.
 */
export function temporaryWriter(dir: string, name: string): 'ours' | number | null | undefined {
	const match = TEMPORARY.exec(name);
	if (!match) return undefined;
	if (writing.has(join(dir, name))) return 'ours';
	return match[1] ? Number(match[1]) : null;
}

export async function stageExportFile(dir: string): Promise<StagedFile> {
	mkdirSync(dir, { recursive: true });
	let path = join(dir, `.writing-${process.pid}-${randomBytes(8).toString('hex')}`);
	const file = await open(path, 'wx');
	writing.add(path);
	let isOpen = true;
	const hash = createHash('sha256');
	let bytes = 0;
	const close = async () => {
		if (isOpen) await file.close();
		isOpen = false;
	};
	return {
		write: async (data) => {
			const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
			hash.update(chunk);
			bytes += chunk.length;
			for (let done = 0; done < chunk.length;) {
				done += (await file.write(chunk, done)).bytesWritten;
			}
		},
		finish: async () => {
			await file.sync();
			await close();
			return { sha256: hash.digest('hex'), bytes };
		},
		place: (fileName) => {
			const final = join(dir, fileName);
			// A rename would replace it silently, and a failed record would then remove it.
			if (existsSync(final)) throw new Error(`An export file ${fileName} already exists.`);
			renameSync(path, final);
			writing.delete(path);
			path = final;
			syncFolder(dir);
		},
		discard: async () => {
			await close().catch(() => {});
			await rm(path, { force: true });
			writing.delete(path);
		},
		location: () => path
	};
}

/** Makes a rename in the folder survive a power cut. Windows cannot open a folder; it skips. */
function syncFolder(dir: string): void {
	if (process.platform === 'win32') return;
	const fd = openSync(dir, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	await pipeline(createReadStream(path), hash);
	return hash.digest('hex');
}

/**
 * Flushes a file, or a folder's list of entries, to disk. A rename or a new file is only sure
 * to survive a power cut once its folder is synced too.
 */
export async function syncToDisk(path: string): Promise<void> {
	const handle = await open(path, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Every file under `dir`, as paths relative to it, in a stable order. Names starting with a dot
 * are left out: they are files still being written (an export's `.writing-…`).
 */
export async function listFiles(dir: string): Promise<string[]> {
	const found: string[] = [];
	async function walk(relative: string): Promise<void> {
		let entries;
		try {
			entries = await readdir(join(dir, relative), { withFileTypes: true });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT' && relative === '') return;
			throw e;
		}
		for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
			if (entry.name.startsWith('.')) continue;
			const path = relative ? `${relative}/${entry.name}` : entry.name;
			if (entry.isDirectory()) await walk(path);
			else if (entry.isFile()) found.push(path);
		}
	}
	await walk('');
	return found;
}

/** Copies `files` (relative paths) from one folder to another, synced to disk with their folders. */
export async function copyFiles(from: string, to: string, files: string[]): Promise<void> {
	const folders = new Set<string>();
	for (const file of files) {
		const target = join(to, file);
		folders.add(dirname(target));
		await mkdir(dirname(target), { recursive: true });
		await copyFile(join(from, file), target);
		await syncToDisk(target);
	}
	for (const folder of folders) await syncToDisk(folder);
}

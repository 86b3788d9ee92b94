import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/** Below this, starting a thread costs more than hashing the file where we are. */
const WORKER_FROM_BYTES = 16 * 1024 * 1024;

/**
 * The SHA-256 of a file, taken on a worker thread while the import checks the file on the main
 * one: on a file of gigabytes the hash is seconds of processor time, which now overlap with the
 * check instead of coming before it. `stop()` ends the worker, early for a refused file, and
 * resolves once it has exited.
 */
export function startHashing(
	path: string,
	bytes: number
): { sha: Promise<string>; stop: () => Promise<void> } {
	if (bytes < WORKER_FROM_BYTES) {
		const sha = readFile(path).then((data) => createHash('sha256').update(data).digest('hex'));
		sha.catch(() => {});
		return { sha, stop: async () => {} };
	}
	const worker = new Worker(HASH_WORKER, { eval: true, workerData: { path } });
	const sha = new Promise<string>((resolve, reject) => {
		worker.once('message', (digest: string) => resolve(digest));
		worker.once('error', reject);
		worker.once('exit', (code) => reject(new Error(`The file could not be hashed (${code}).`)));
	});
	// Settled or not, a stopped hash is nobody's error.
	sha.catch(() => {});
	return { sha, stop: () => worker.terminate().then(() => undefined) };
}

// Dynamic imports only, as in the checkpointer: the source runs as a module or as a script.
// Megabyte reads: a third less processor time than the default 64 kB on a file of gigabytes.
const HASH_WORKER = `
Promise.all([import('node:worker_threads'), import('node:crypto'), import('node:fs')]).then(
	async ([{ parentPort, workerData }, { createHash }, { createReadStream }]) => {
		const hash = createHash('sha256');
		for await (const chunk of createReadStream(workerData.path, { highWaterMark: 1 << 20 })) {
			hash.update(chunk);
		}
		parentPort.postMessage(hash.digest('hex'));
	}
);
`;

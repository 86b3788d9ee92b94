/** A probe of the disk's sync latency, taken beside a benchmark's load. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { percentile } from './load';

export type DiskSyncs = { n: number; p50: number; p99: number; max: number };

/**
 * Writes 8 KB to a file of its own and syncs it (`fdatasync`) every 20 ms on a worker thread,
 * timing each sync, until `stop()`. A commit that must be on disk before its answer waits for
 * such a sync, so its p99 can be no better than the disk's: on a shared virtual disk, syncs
 * that take 1 ms one minute take 100 ms the next, and this says which kind of minute a run had.
 * Fifty small syncs a second add little to the disk's work under the server's hundreds.
 */
export function startDiskProbe(dir: string): { stop: () => Promise<DiskSyncs> } {
	const file = join(dir, 'disk-probe.bin');
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file } });
	const timings = new Promise<number[]>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	return {
		async stop() {
			worker.postMessage('stop');
			const ms = await timings;
			await worker.terminate();
			rmSync(file, { force: true });
			return {
				n: ms.length,
				p50: percentile(ms, 50),
				p99: percentile(ms, 99),
				max: ms.length ? Math.max(...ms) : NaN
			};
		}
	};
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, writeSync, fdatasyncSync, closeSync } = require('node:fs');
const fd = openSync(workerData.file, 'w');
const page = Buffer.alloc(8192, 1);
const timings = [];
let timer;
const round = (i) => {
	writeSync(fd, page, 0, page.length, (i % 64) * page.length);
	const begun = performance.now();
	fdatasyncSync(fd);
	timings.push(performance.now() - begun);
	timer = setTimeout(round, 20, i + 1);
};
round(0);
parentPort.once('message', () => {
	clearTimeout(timer);
	closeSync(fd);
	parentPort.postMessage(timings);
});
`;

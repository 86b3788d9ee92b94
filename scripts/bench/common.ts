import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('../../bench-out/', import.meta.url));
mkdirSync(BENCH_DIR, { recursive: true });

export type Measured = { seconds: number; peakRssMb: number; [key: string]: number };

/**
 * Runs `phase` of a benchmark script in a child process, so that its peak RSS is its own, and
 * returns the JSON line it prints last.
 */
export function runPhase(script: string, phase: string, args: string[] = []): Measured {
	const child = spawnSync(
		process.execPath,
		['--import', 'tsx', script, '--phase', phase, ...args],
		{
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			maxBuffer: 64 * 1024 * 1024
		}
	);
	if (child.status !== 0) throw new Error(`Phase ${phase} failed (exit ${child.status}).`);
	const last = child.stdout.trim().split('\n').at(-1)!;
	return JSON.parse(last) as Measured;
}

/** Called at the end of a phase: prints its figures with the process's peak RSS. */
export function reportPhase(figures: Record<string, number>): void {
	const peakRssMb = process.resourceUsage().maxRSS / 1024;
	console.log(JSON.stringify({ ...figures, peakRssMb }));
}

export function phaseArg(): string | undefined {
	const i = process.argv.indexOf('--phase');
	return i >= 0 ? process.argv[i + 1] : undefined;
}

export function table(rows: [string, string, string][]): void {
	const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
	for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('   '));
}

export const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES TARGET');

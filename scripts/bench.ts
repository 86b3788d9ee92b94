// `npm run bench -- <name>`: speed and memory benchmarks, each against a bare baseline in the
// same run. Figures are printed, never asserted in CI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, string> = {
	import: 'bench/import.ts',
	review: 'bench/review.ts',
	export: 'bench/export.ts',
	adversarial: 'bench/adversarial.ts',
	dashboard: 'bench/dashboard.ts'
};

const name = process.argv[2];
const names = name ? [name] : Object.keys(BENCHES);
for (const n of names) {
	const script = BENCHES[n];
	if (!script) {
		console.error(`Unknown benchmark "${n}". Known: ${Object.keys(BENCHES).join(', ')}.`);
		process.exit(2);
	}
	const run = spawnSync(
		process.execPath,
		['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...process.argv.slice(3)],
		{ stdio: 'inherit' }
	);
	if (run.status !== 0) process.exit(run.status ?? 1);
}

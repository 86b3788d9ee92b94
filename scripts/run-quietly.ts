import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs a command with its output held back rather than shown, for a step whose log is worth
 * reading only when it fails (the demo's build prints about 300 lines). Its stdout and stderr
 * are kept together, in the order they came.
 */
export function runQuietly(
	command: string,
	args: string[],
	options: { cwd?: string } = {}
): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
	const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	const output: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
	const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, output: Buffer.concat(output).toString('utf8') }));
	});
	return { child, done };
}

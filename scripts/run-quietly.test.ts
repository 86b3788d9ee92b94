import { afterEach, describe, expect, it, vi } from 'vitest';
import { runQuietly } from './run-quietly';

afterEach(() => {
	vi.restoreAllMocks();
});

describe('runQuietly', () => {
	it('shows nothing of what the command prints, and hands it all back in order', async () => {
		const stdout = vi.spyOn(process.stdout, 'write');
		const stderr = vi.spyOn(process.stderr, 'write');
		const script = `console.log('one'); console.error('two'); setTimeout(() => { console.log('three'); process.exit(3); }, 50);`;
		const { done } = runQuietly(process.execPath, ['-e', script]);
		const { code, output } = await done;
		expect(code).toBe(3);
		expect(output.indexOf('one')).toBeGreaterThanOrEqual(0);
		expect(output.indexOf('three')).toBeGreaterThan(output.indexOf('two'));
		expect(stdout).not.toHaveBeenCalled();
		expect(stderr).not.toHaveBeenCalled();
	});

	it('fails plainly when the command cannot start', async () => {
		await expect(runQuietly('/no/such/command', []).done).rejects.toThrow(/ENOENT/);
	});
});

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { startHashing } from './file-hash';

describe('startHashing', () => {
	it('gives the same SHA-256 on a worker thread (large files) as in place (small ones)', async () => {
		const dir = makeTempDir('hash-');
		for (const size of [1000, 17 * 1024 * 1024]) {
			const data = Buffer.alloc(size);
			for (let i = 0; i < size; i += 4096) data[i] = (i / 4096) % 251;
			const path = join(dir, `file-${size}`);
			writeFileSync(path, data);
			const hashing = startHashing(path, size);
			expect(await hashing.sha).toBe(createHash('sha256').update(data).digest('hex'));
			await hashing.stop();
		}
	});

	it('rejects, and is stopped, when the file cannot be read', async () => {
		const hashing = startHashing(join(makeTempDir('hash-'), 'missing'), 64 * 1024 * 1024);
		await expect(hashing.sha).rejects.toThrow();
		await hashing.stop();
	});
});

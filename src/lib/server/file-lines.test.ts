import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp';
import { readLinesSync } from './file-lines';

function fileWith(content: string | Buffer): string {
	const path = join(makeTempDir('lines-'), 'f.jsonl');
	writeFileSync(path, content);
	return path;
}

describe('readLinesSync', () => {
	it('numbers every line, strips CR and the BOM, and keeps a last line without newline', () => {
		const lines = [...readLinesSync(fileWith('\ufeffa\r\n\nb\nc'))];
		expect(lines).toEqual([
			{ line: 1, text: 'a' },
			{ line: 2, text: '' },
			{ line: 3, text: 'b' },
			{ line: 4, text: 'c' }
		]);
	});

	it('decodes multi-byte characters split across chunks', () => {
		const text = 'héllo wörld ✓ 𝄞\nsecond ✓\n';
		const lines = [...readLinesSync(fileWith(text), 3)].map((l) => l.text);
		expect(lines).toEqual(['héllo wörld ✓ 𝄞', 'second ✓']);
	});
});

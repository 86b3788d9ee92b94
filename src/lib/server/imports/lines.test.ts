import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, readLinesSync, splitLines, type LineEntry } from './lines';

function fileWith(content: string | Buffer): string {
	const path = join(mkdtempSync(join(tmpdir(), 'lines-')), 'f.jsonl');
	writeFileSync(path, content);
	return path;
}

async function collect(chunks: string[], maxLineBytes = 1000) {
	const out = [];
	for await (const entry of readLines(chunks, { maxLineBytes })) out.push(entry);
	return out;
}

describe('readLines', () => {
	it('joins lines across chunks, keeps line numbers, skips blanks', async () => {
		expect(await collect(['{"a":', '1}\n\n{"b"', ':2}\r\n', '{"c":3}'])).toEqual([
			{ line: 1, text: '{"a":1}' },
			{ line: 3, text: '{"b":2}' },
			{ line: 4, text: '{"c":3}' }
		]);
	});

	it('reports an over-long line without buffering it, and goes on', async () => {
		const out = await collect(['x'.repeat(30), 'y'.repeat(30), '\nok\n'], 40);
		expect(out[0]).toEqual({ line: 1, error: expect.stringContaining('40 bytes') });
		expect(out[1]).toEqual({ line: 2, text: 'ok' });
	});
});

describe('readLinesSync', () => {
	it('skips blank lines but counts them, strips CR and the BOM, keeps a last line without newline', () => {
		const lines = [...readLinesSync(fileWith('\ufeffa\r\n\nb\nc'))];
		expect(lines).toEqual([
			{ line: 1, text: 'a' },
			{ line: 3, text: 'b' },
			{ line: 4, text: 'c' }
		]);
	});

	it('decodes multi-byte characters split across chunks', () => {
		const text = 'héllo wörld ✓ 𝄞\nsecond ✓\n';
		const lines = [...readLinesSync(fileWith(text), undefined, 3)];
		expect(lines).toEqual([
			{ line: 1, text: 'héllo wörld ✓ 𝄞' },
			{ line: 2, text: 'second ✓' }
		]);
	});
});

describe('one rule set for every way of reading', () => {
	// A BOM, CRLF, a whitespace-only line, a lone CR inside a line, a kept leading space, an
	// over-long line and a last line without a newline.
	const text = '\ufeff{"a":1}\r\n  \t\r\n{"b":"x\ry"}\n long\n' + 'z'.repeat(50) + '\n{"c":3}\r';
	const expected: LineEntry[] = [
		{ line: 1, text: '{"a":1}' },
		{ line: 3, text: '{"b":"x\ry"}' },
		{ line: 4, text: ' long' },
		{ line: 5, error: 'The line is longer than the limit of 40 bytes.' },
		{ line: 6, text: '{"c":3}' }
	];
	const limits = { maxLineBytes: 40 };

	it('reads the same lines from a stream, a file read synchronously and a string', async () => {
		const path = fileWith(text);
		const streamed = [];
		for await (const entry of readLines(createReadStream(path, { highWaterMark: 7 }), limits)) {
			streamed.push(entry);
		}
		expect(streamed).toEqual(expected);
		expect([...readLinesSync(path, limits, 5)]).toEqual(expected);
		expect([...splitLines(text, limits)]).toEqual(expected);
	});
});

import { makeTempDir } from '../../../../tests/support/temp';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDocument, readLines, readLinesSync, splitLines, type LineEntry } from './lines';

function fileWith(content: string | Buffer): string {
	const path = join(makeTempDir('lines-'), 'f.jsonl');
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

describe('encoding', () => {
	const bytes = Buffer.concat([
		Buffer.from('ok\ncaf'),
		Buffer.from([0xe9]), // Latin-1 é
		Buffer.from('\nsurrogate '),
		Buffer.from([0xed, 0xa0, 0x80]), // U+D800 encoded: not UTF-8 either
		Buffer.from('\nlast\n')
	]);

	it('refuses a line that is not UTF-8, by its number, and goes on', () => {
		expect([...splitLines(bytes)]).toEqual([
			{ line: 1, text: 'ok' },
			{ line: 2, error: expect.stringMatching(/not valid UTF-8/) },
			{ line: 3, error: expect.stringMatching(/not valid UTF-8/) },
			{ line: 4, text: 'last' }
		]);
	});

	it('replaces invalid bytes with U+FFFD only when asked', () => {
		const lines = [...splitLines(bytes, { maxLineBytes: 100, replaceInvalidUtf8: true })];
		expect(lines.map((l) => ('text' in l ? l.text : l.error))).toEqual([
			'ok',
			'caf\ufffd',
			'surrogate \ufffd\ufffd\ufffd',
			'last'
		]);
	});

	it('decodes a whole document, or names its first line that is not UTF-8', () => {
		expect(decodeDocument(Buffer.from('\ufeffa\nb'))).toEqual({ text: 'a\nb' });
		expect(decodeDocument(bytes)).toEqual({
			line: 2,
			error: expect.stringMatching(/not valid UTF-8/)
		});
		expect(decodeDocument(bytes, { replaceInvalidUtf8: true })).toEqual({
			text: expect.stringContaining('caf\ufffd')
		});
	});
});

describe('keepBlankLines', () => {
	it('keeps blank and whitespace-only lines, for formats where they mean something', () => {
		const lines = [...splitLines('a\n\n  \nb\r\n', { maxLineBytes: 10, keepBlankLines: true })];
		expect(lines).toEqual([
			{ line: 1, text: 'a' },
			{ line: 2, text: '' },
			{ line: 3, text: '  ' },
			{ line: 4, text: 'b' }
		]);
	});
});

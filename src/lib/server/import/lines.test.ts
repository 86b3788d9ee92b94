import { describe, expect, it } from 'vitest';
import { readLines } from './lines';
import { DEFAULT_LIMITS, type LineResult } from './types';

const encoder = new TextEncoder();

async function collect(
	chunks: (Uint8Array | string)[],
	limits = DEFAULT_LIMITS
): Promise<LineResult[]> {
	const results: LineResult[] = [];
	for await (const result of readLines(chunks, limits)) results.push(result);
	return results;
}

/** Feeds the text one byte at a time, the worst case for chunk boundaries. */
function byteChunks(text: string): Uint8Array[] {
	return [...encoder.encode(text)].map((byte) => Uint8Array.of(byte));
}

async function* asyncChunks(chunks: string[]): AsyncGenerator<string> {
	for (const chunk of chunks) yield chunk;
}

describe('readLines', () => {
	it('numbers every line, blank ones included, and skips the blank ones', async () => {
		expect(await collect(['{"a":1}\n\n  \n{"b":2}\n'])).toEqual([
			{ line: 1, text: '{"a":1}' },
			{ line: 4, text: '{"b":2}' }
		]);
	});

	it('reads a last line without a final newline', async () => {
		expect(await collect(['one\ntwo'])).toEqual([
			{ line: 1, text: 'one' },
			{ line: 2, text: 'two' }
		]);
	});

	it('yields nothing for an empty file', async () => {
		expect(await collect([])).toEqual([]);
		expect(await collect([''])).toEqual([]);
	});

	it('accepts \\r\\n line endings', async () => {
		expect(await collect(['one\r\ntwo\r\n'])).toEqual([
			{ line: 1, text: 'one' },
			{ line: 2, text: 'two' }
		]);
	});

	it('drops a byte order mark at the start of the file only', async () => {
		const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, ...encoder.encode('one\n\ufefftwo'));
		expect(await collect([bytes])).toEqual([
			{ line: 1, text: 'one' },
			{ line: 2, text: '\ufefftwo' }
		]);
		expect(await collect(byteChunks('\ufeffone'))).toEqual([{ line: 1, text: 'one' }]);
		expect(await collect(['\ufeffone'])).toEqual([{ line: 1, text: 'one' }]);
	});

	it('decodes multi-byte characters split across chunks', async () => {
		const text = 'héllo wörld 😀 日本\nnext ✓';
		expect(await collect(byteChunks(text))).toEqual([
			{ line: 1, text: 'héllo wörld 😀 日本' },
			{ line: 2, text: 'next ✓' }
		]);
	});

	it('accepts string chunks and async sources', async () => {
		const results: LineResult[] = [];
		for await (const result of readLines(asyncChunks(['on', 'e\ntw', 'o']), DEFAULT_LIMITS)) {
			results.push(result);
		}
		expect(results).toEqual([
			{ line: 1, text: 'one' },
			{ line: 2, text: 'two' }
		]);
	});

	it('reports a line longer than the limit and goes on with the next one', async () => {
		const limits = { ...DEFAULT_LIMITS, maxLineBytes: 10 };
		const results = await collect(['short\n', 'x'.repeat(6), 'x'.repeat(6), '\nok\n'], limits);
		expect(results).toEqual([
			{ line: 1, text: 'short' },
			{ line: 2, error: 'is longer than the limit of 10 bytes' },
			{ line: 3, text: 'ok' }
		]);
	});

	it('counts bytes, not characters, against the line limit', async () => {
		const limits = { ...DEFAULT_LIMITS, maxLineBytes: 4 };
		// Two characters, but six bytes in UTF-8.
		expect(await collect(['日本\n'], limits)).toEqual([
			{ line: 1, error: 'is longer than the limit of 4 bytes' }
		]);
		expect(await collect(['abcd\n'], limits)).toEqual([{ line: 1, text: 'abcd' }]);
	});

	it('reports a too-long last line', async () => {
		const limits = { ...DEFAULT_LIMITS, maxLineBytes: 1024 };
		expect(await collect(['a\n', 'b'.repeat(2000)], limits)).toEqual([
			{ line: 1, text: 'a' },
			{ line: 2, error: 'is longer than the limit of 1 KiB' }
		]);
	});

	it('reports invalid UTF-8 on its line and goes on', async () => {
		const bad = Uint8Array.of(...encoder.encode('ok\nab'), 0xff, ...encoder.encode('c\nfine\n'));
		expect(await collect([bad])).toEqual([
			{ line: 1, text: 'ok' },
			{ line: 2, error: 'is not valid UTF-8 text' },
			{ line: 3, text: 'fine' }
		]);
	});

	it('reports a multi-byte character cut off by the end of a line', async () => {
		const cut = Uint8Array.of(0xe6, 0x97, 0x0a, ...encoder.encode('next'));
		expect(await collect([cut])).toEqual([
			{ line: 1, error: 'is not valid UTF-8 text' },
			{ line: 2, text: 'next' }
		]);
	});

	it('stops with one error when the file is larger than the limit', async () => {
		const limits = { ...DEFAULT_LIMITS, maxFileBytes: 8 };
		expect(await collect(['one\n', 'two\n', 'three\n'], limits)).toEqual([
			{ line: 1, text: 'one' },
			{ line: 2, text: 'two' },
			{ line: 3, error: 'the file is larger than the limit of 8 bytes; reading stopped here' }
		]);
	});
});

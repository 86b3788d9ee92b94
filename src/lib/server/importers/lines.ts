import type { ImportLimits } from './types';

export type LineEntry = { line: number; text: string } | { line: number; error: string };

/**
 * Splits a byte stream into lines without ever holding more than one line: a line longer than
 * the limit is reported and skipped, not buffered. Blank lines are skipped but counted, so line
 * numbers match what an editor shows.
 */
export async function* readLines(
	source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
	limits: Pick<ImportLimits, 'maxLineBytes'>
): AsyncGenerator<LineEntry> {
	let parts: Buffer[] = [];
	let partBytes = 0;
	let tooLong = false;
	let line = 0;

	function* finish(): Generator<LineEntry> {
		line += 1;
		if (tooLong) {
			yield {
				line,
				error: `The line is longer than the limit of ${limits.maxLineBytes.toLocaleString('en')} bytes.`
			};
		} else {
			let text = Buffer.concat(parts, partBytes).toString('utf8');
			if (text.endsWith('\r')) text = text.slice(0, -1);
			if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			if (text.trim()) yield { line, text };
		}
		parts = [];
		partBytes = 0;
		tooLong = false;
	}

	for await (const raw of source) {
		const chunk =
			typeof raw === 'string'
				? Buffer.from(raw)
				: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
		let start = 0;
		// 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be cut on bytes.
		for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
			take(chunk.subarray(start, nl));
			yield* finish();
			start = nl + 1;
		}
		take(chunk.subarray(start));
	}
	if (partBytes > 0 || tooLong) yield* finish();

	function take(piece: Buffer) {
		if (tooLong || piece.length === 0) return;
		if (partBytes + piece.length > limits.maxLineBytes) {
			tooLong = true;
			parts = [];
			partBytes = 0;
			return;
		}
		parts.push(Buffer.from(piece));
		partBytes += piece.length;
	}
}

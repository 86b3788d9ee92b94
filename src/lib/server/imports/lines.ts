import { closeSync, openSync, readSync } from 'node:fs';
import { formatCount } from '$lib/format';
import type { ImportLimits } from './limits';

/**
 * THE line reader of imports. Every record-per-line file (native and TRL JSONL, OCT few-shot
 * JSONL) and every pass over it (validation as a stream, writing synchronously inside the
 * transaction) splits lines by these rules, so that line numbers always agree:
 *
 * - A line ends at LF. A CR right before it (CRLF) is dropped, as is a CR ending the last line.
 *   A lone CR is not a line end: a file with classic Mac line ends reads as one line.
 * - A UTF-8 byte order mark at the start of the file is dropped.
 * - Blank lines (empty or only whitespace) are skipped, but counted, so line numbers match what
 *   an editor shows. A kept line's text is never trimmed.
 * - A line longer than `maxLineBytes` (its bytes before the LF) is reported as an error entry
 *   and skipped, never buffered: a file with no line ends cannot fill the memory.
 */
export type LineEntry = { line: number; text: string } | { line: number; error: string };

type Chunk = Uint8Array | string;
type LineLimit = Pick<ImportLimits, 'maxLineBytes'>;
const NO_LIMIT: LineLimit = { maxLineBytes: Infinity };

/** Lines of a byte stream, e.g. `createReadStream(path)`: the validation pass. */
export async function* readLines(
	source: AsyncIterable<Chunk> | Iterable<Chunk>,
	limits: LineLimit = NO_LIMIT
): AsyncGenerator<LineEntry> {
	const splitter = new LineSplitter(limits.maxLineBytes);
	for await (const chunk of source) yield* splitter.push(chunk);
	yield* splitter.end();
}

/**
 * Lines of a file, read synchronously in fixed-size chunks: for the write phase of an import,
 * which runs inside one SQLite transaction and so cannot await.
 */
export function* readLinesSync(
	path: string,
	limits: LineLimit = NO_LIMIT,
	chunkBytes = 1 << 20
): Generator<LineEntry> {
	const splitter = new LineSplitter(limits.maxLineBytes);
	const fd = openSync(path, 'r');
	try {
		// One buffer for every read: the splitter copies what it keeps across chunks.
		const chunk = Buffer.allocUnsafe(chunkBytes);
		for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
			yield* splitter.push(chunk.subarray(0, read));
		}
	} finally {
		closeSync(fd);
	}
	yield* splitter.end();
}

/** Lines of a text already in memory. */
export function* splitLines(text: string, limits: LineLimit = NO_LIMIT): Generator<LineEntry> {
	const splitter = new LineSplitter(limits.maxLineBytes);
	yield* splitter.push(text);
	yield* splitter.end();
}

class LineSplitter {
	/** The start of the current line, when it began in an earlier chunk. */
	private parts: Buffer[] = [];
	private partBytes = 0;
	private tooLong = false;
	private line = 0;

	constructor(private readonly maxLineBytes: number) {}

	*push(raw: Chunk): Generator<LineEntry> {
		const chunk =
			typeof raw === 'string'
				? Buffer.from(raw)
				: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
		let start = 0;
		// 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be cut on bytes.
		for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
			yield* this.endLine(chunk.subarray(start, nl));
			start = nl + 1;
		}
		this.keep(chunk.subarray(start));
	}

	*end(): Generator<LineEntry> {
		if (this.partBytes > 0 || this.tooLong) yield* this.endLine(Buffer.alloc(0));
	}

	private *endLine(last: Buffer): Generator<LineEntry> {
		this.line += 1;
		if (this.partBytes + last.length > this.maxLineBytes) this.tooLong = true;
		if (this.tooLong) {
			yield {
				line: this.line,
				error: `The line is longer than the limit of ${formatCount(this.maxLineBytes)} bytes.`
			};
		} else {
			// Most lines sit inside one chunk: decode them in place, without a copy.
			let text = this.partBytes
				? Buffer.concat([...this.parts, last]).toString('utf8')
				: last.toString('utf8');
			if (text.endsWith('\r')) text = text.slice(0, -1);
			if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			if (text.trim()) yield { line: this.line, text };
		}
		this.parts = [];
		this.partBytes = 0;
		this.tooLong = false;
	}

	/** Holds the unfinished end of a chunk, as a copy: the chunk's buffer may be reused. */
	private keep(piece: Buffer) {
		if (this.tooLong || piece.length === 0) return;
		if (this.partBytes + piece.length > this.maxLineBytes) {
			this.tooLong = true;
			this.parts = [];
			this.partBytes = 0;
			return;
		}
		this.parts.push(Buffer.from(piece));
		this.partBytes += piece.length;
	}
}

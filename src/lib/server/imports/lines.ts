import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { formatCount } from '$lib/format';
import type { ReadRules } from './types';

/**
 * THE line reader of imports. Every record-per-line file (native and TRL JSONL, OCT few-shot
 * JSONL), the Model Spec's markdown, and every pass over them (validation as a stream, writing synchronously inside the
 * transaction) splits lines by these rules, so that line numbers always agree:
 *
 * - A line ends at LF. A CR right before it (CRLF) is dropped, as is a CR ending the last line.
 *   A lone CR is not a line end: a file with classic Mac line ends reads as one line.
 * - A UTF-8 byte order mark at the start of the file is dropped.
 * - Blank lines (empty or only whitespace) are skipped, but counted, so line numbers match what
 *   an editor shows. A kept line's text is never trimmed.
 * - A line longer than `maxLineBytes` (its bytes before the LF) is reported as an error entry
 *   and skipped, never buffered: a file with no line ends cannot fill the memory.
 * - A line that is not valid UTF-8 is reported as an error entry, unless `replaceInvalidUtf8`
 *   asks for its bad bytes to become U+FFFD: text is imported exactly, or knowingly changed.
 * - Formats where blank lines mean something (markdown) ask for them with `keepBlankLines`.
 */
export type LineEntry = { line: number; text: string } | { line: number; error: string };

type Chunk = Uint8Array | string;
export type LineRules = Pick<ReadRules, 'maxLineBytes'> &
	Partial<Pick<ReadRules, 'replaceInvalidUtf8'>> & { keepBlankLines?: boolean };
const NO_LIMIT: LineRules = { maxLineBytes: Infinity };

const NOT_UTF8 =
	'The line is not valid UTF-8. Save the file as UTF-8, or import it with invalid bytes replaced (U+FFFD).';

/** A line's bytes as text, or null when they are not UTF-8 and may not be replaced. */
function decode(bytes: Buffer, rules: LineRules): string | null {
	if (!rules.replaceInvalidUtf8 && !isUtf8(bytes)) return null;
	return bytes.toString('utf8');
}

/**
 * A whole document's text (an OCT list, one JSON value that may span any number of lines), by
 * the same rules as lines: the BOM dropped, and invalid UTF-8 refused with the number of the
 * first line that has it.
 */
export function decodeDocument(
	bytes: Buffer,
	rules: Partial<Pick<ReadRules, 'replaceInvalidUtf8'>> = {}
): { text: string } | { line: number; error: string } {
	const text = decode(bytes, { maxLineBytes: Infinity, ...rules });
	if (text !== null) return { text: text.replace(/^\ufeff/, '') };
	for (const entry of splitLines(bytes, { maxLineBytes: Infinity, keepBlankLines: true })) {
		if ('error' in entry) return entry;
	}
	return { line: 0, error: NOT_UTF8 };
}

/** Lines of a byte stream, e.g. `createReadStream(path)`: the validation pass. */
export async function* readLines(
	source: AsyncIterable<Chunk> | Iterable<Chunk>,
	rules: LineRules = NO_LIMIT
): AsyncGenerator<LineEntry> {
	for await (const batch of readLineBatches(source, rules)) yield* batch;
}

/**
 * The same lines, a chunk's worth at a time: one await per chunk rather than per line, for
 * files of millions of short lines (markdown).
 */
export async function* readLineBatches(
	source: AsyncIterable<Chunk> | Iterable<Chunk>,
	rules: LineRules = NO_LIMIT
): AsyncGenerator<LineEntry[]> {
	const splitter = new LineSplitter(rules);
	for await (const chunk of source) yield [...splitter.push(chunk)];
	yield [...splitter.end()];
}

/**
 * Lines of a file, read synchronously in fixed-size chunks: for the write phase of an import,
 * which runs inside SQLite transactions and so cannot await. `onRead` hears the bytes read so
 * far, after each chunk.
 *
 * The chunks are 64 kB: a chunk is decoded as one string, which its lines share while they
 * are in use. A string of a megabyte lived long enough to be moved to the old generation, to
 * wait there for a full collection: with 1 MB chunks a 100,000-item import peaked at 282–303 MB
 * instead of 225.
 */
export function* readLinesSync(
	path: string,
	rules: LineRules = NO_LIMIT,
	chunkBytes = 1 << 16,
	onRead?: (bytesRead: number) => void
): Generator<LineEntry> {
	const splitter = new LineSplitter(rules);
	const fd = openSync(path, 'r');
	try {
		// One buffer for every read: the splitter copies what it keeps across chunks.
		const chunk = Buffer.allocUnsafe(chunkBytes);
		let total = 0;
		for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
			total += read;
			onRead?.(total);
			yield* splitter.push(chunk.subarray(0, read));
		}
	} finally {
		closeSync(fd);
	}
	yield* splitter.end();
}

/** Lines of a text or bytes already in memory. */
export function* splitLines(text: Chunk, rules: LineRules = NO_LIMIT): Generator<LineEntry> {
	const splitter = new LineSplitter(rules);
	yield* splitter.push(text);
	yield* splitter.end();
}

class LineSplitter {
	/** The start of the current line, when it began in an earlier chunk. */
	private parts: Buffer[] = [];
	private partBytes = 0;
	private tooLong = false;
	private line = 0;

	private readonly maxLineBytes: number;

	constructor(private readonly rules: LineRules) {
		this.maxLineBytes = rules.maxLineBytes;
	}

	*push(raw: Chunk): Generator<LineEntry> {
		const chunk =
			typeof raw === 'string'
				? Buffer.from(raw)
				: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
		// 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be cut on bytes.
		const first = chunk.indexOf(0x0a);
		if (first === -1) return this.keep(chunk);
		yield* this.endLine(chunk.subarray(0, first));
		const last = chunk.lastIndexOf(0x0a);
		if (last > first) yield* this.wholeLines(chunk.subarray(first + 1, last));
		this.keep(chunk.subarray(last + 1));
	}

	*end(): Generator<LineEntry> {
		if (this.partBytes > 0 || this.tooLong) yield* this.endLine(Buffer.alloc(0));
	}

	/**
	 * Lines that begin and end inside one chunk, LF-separated. When the span is short enough
	 * that none of them can be over the limit, it is decoded at once and split as text: a file
	 * of millions of short lines costs one decode per chunk, not one per line.
	 */
	private *wholeLines(span: Buffer): Generator<LineEntry> {
		const text = span.length <= this.maxLineBytes ? decode(span, this.rules) : null;
		if (text !== null) {
			for (const line of text.split('\n')) {
				this.line += 1;
				yield* this.emit(line);
			}
			return;
		}
		let start = 0;
		for (let nl = span.indexOf(0x0a); nl !== -1; nl = span.indexOf(0x0a, start)) {
			yield* this.endLine(span.subarray(start, nl));
			start = nl + 1;
		}
		yield* this.endLine(span.subarray(start));
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
			const text = decode(this.partBytes ? Buffer.concat([...this.parts, last]) : last, this.rules);
			if (text === null) yield { line: this.line, error: NOT_UTF8 };
			else yield* this.emit(text);
		}
		this.parts = [];
		this.partBytes = 0;
		this.tooLong = false;
	}

	/** A decoded line, by the rules for CR, the BOM and blank lines. */
	private *emit(decoded: string): Generator<LineEntry> {
		let text = decoded;
		if (text.endsWith('\r')) text = text.slice(0, -1);
		if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		if (this.rules.keepBlankLines || text.trim()) yield { line: this.line, text };
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

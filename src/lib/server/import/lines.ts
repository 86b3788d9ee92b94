import { formatBytes } from './issues';
import type { ImportLimits, LineResult } from './types';

const NEWLINE = 0x0a;
const BOM = '\ufeff';

type LineLimits = Pick<ImportLimits, 'maxFileBytes' | 'maxLineBytes'>;

/**
 * Splits a JSONL byte stream into lines without holding more than one line in memory.
 *
 * Line numbers count every line, blank ones included, so they match what an editor shows; blank
 * lines are not yielded. A line that is too long or not valid UTF-8 is yielded as an error and
 * reading goes on, so one bad line does not hide the problems in the rest of the file. A file
 * over the size limit yields one error and stops: reading on would be the cost the limit avoids.
 */
export async function* readLines(
	source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
	limits: LineLimits
): AsyncGenerator<LineResult> {
	const encoder = new TextEncoder();
	const reader = new LineReader(limits.maxLineBytes);
	let fileBytes = 0;
	for await (const chunk of source) {
		const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
		fileBytes += bytes.byteLength;
		if (fileBytes > limits.maxFileBytes) {
			yield {
				line: reader.nextLine,
				error: `the file is larger than the limit of ${formatBytes(limits.maxFileBytes)}; reading stopped here`
			};
			return;
		}
		yield* reader.push(bytes);
	}
	yield* reader.finish();
}

/** Accumulates one line at a time; `push` returns the lines that a chunk completed. */
class LineReader {
	nextLine = 1;
	private decoder = newDecoder();
	private parts: string[] = [];
	private lineBytes = 0;
	private tooLong = false;
	private invalid = false;

	constructor(private readonly maxLineBytes: number) {}

	*push(chunk: Uint8Array): Generator<LineResult> {
		let bytes = chunk;
		for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE)) {
			this.append(bytes.subarray(0, end));
			yield* this.endLine();
			bytes = bytes.subarray(end + 1);
		}
		this.append(bytes);
	}

	*finish(): Generator<LineResult> {
		if (this.lineBytes > 0 || this.parts.length > 0) yield* this.endLine();
	}

	private append(bytes: Uint8Array): void {
		if (bytes.byteLength === 0) return;
		this.lineBytes += bytes.byteLength;
		// Past the limit the text is dropped at once, so a huge line cannot exhaust memory.
		if (this.lineBytes > this.maxLineBytes) this.tooLong = true;
		if (this.tooLong || this.invalid) {
			this.parts = [];
			return;
		}
		try {
			this.parts.push(this.decoder.decode(bytes, { stream: true }));
		} catch {
			this.invalid = true;
			this.parts = [];
		}
	}

	private *endLine(): Generator<LineResult> {
		const line = this.nextLine;
		const text = this.flush();
		if (this.tooLong) {
			yield { line, error: `is longer than the limit of ${formatBytes(this.maxLineBytes)}` };
		} else if (this.invalid || text === undefined) {
			yield { line, error: 'is not valid UTF-8 text' };
		} else {
			const clean = stripBom(stripCarriageReturn(text), line);
			if (clean.trim() !== '') yield { line, text: clean };
		}
		this.reset();
	}

	/** Ends the decoder's stream; an unfinished multi-byte character at the line end is invalid. */
	private flush(): string | undefined {
		if (this.tooLong || this.invalid) return undefined;
		try {
			this.parts.push(this.decoder.decode());
			return this.parts.join('');
		} catch {
			return undefined;
		}
	}

	private reset(): void {
		this.nextLine += 1;
		this.parts = [];
		this.lineBytes = 0;
		this.tooLong = false;
		this.invalid = false;
		this.decoder = newDecoder();
	}
}

function newDecoder(): TextDecoder {
	// fatal: bad bytes become an error, not a silent U+FFFD. ignoreBOM keeps a BOM in the text,
	// because a fresh decoder per line would otherwise drop one at the start of every line.
	return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
}

function stripCarriageReturn(text: string): string {
	return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** A byte order mark means something only as the first character of the file. */
function stripBom(text: string, line: number): string {
	return line === 1 && text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads a file line by line, synchronously, in fixed-size chunks: for the write phase of an
 * import, which runs inside one SQLite transaction and so cannot await. Line numbers count
 * every line, blank ones included, so they match what the validation pass reported.
 */
export function* readLinesSync(
	path: string,
	chunkBytes = 1 << 20
): Generator<{ line: number; text: string }> {
	const fd = openSync(path, 'r');
	try {
		const chunk = Buffer.allocUnsafe(chunkBytes);
		let carry: Buffer = Buffer.alloc(0);
		let line = 0;
		let first = true;
		for (;;) {
			const read = readSync(fd, chunk, 0, chunkBytes, null);
			const data = carry.length
				? Buffer.concat([carry, chunk.subarray(0, read)])
				: chunk.subarray(0, read);
			let start = 0;
			// 0x0A never occurs inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
			for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
				line += 1;
				yield { line, text: decodeLine(data, start, nl, first) };
				first = false;
				start = nl + 1;
			}
			carry = Buffer.from(data.subarray(start));
			if (read === 0) break;
		}
		if (carry.length) yield { line: line + 1, text: decodeLine(carry, 0, carry.length, first) };
	} finally {
		closeSync(fd);
	}
}

function decodeLine(data: Buffer, start: number, end: number, first: boolean): string {
	let text = data.toString('utf8', start, end);
	if (text.endsWith('\r')) text = text.slice(0, -1);
	if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return text;
}

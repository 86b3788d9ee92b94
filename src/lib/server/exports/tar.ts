import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Plain POSIX tar (ustar), enough for a dataset folder: regular files only, written and read
 * in blocks of 512 bytes. No tar package is a dependency of the app, and this much is short
 * enough to keep here and test against the system's `tar`.
 */

const BLOCK = 512;
/** 11 octal digits: the largest size a ustar header holds. */
const MAX_SIZE = 0o77777777777;

function writeString(header: Buffer, text: string, offset: number, length: number): void {
	const bytes = Buffer.from(text, 'utf8');
	if (bytes.length > length) throw new Error(`"${text}" is too long for a tar header.`);
	bytes.copy(header, offset);
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
	writeString(header, value.toString(8).padStart(length - 1, '0'), offset, length - 1);
}

/** A name over 100 bytes goes in two parts: the folders in `prefix`, the rest in `name`. */
function splitName(path: string): { prefix: string; name: string } {
	if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
	const cut = path.lastIndexOf('/', 155);
	if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) {
		throw new Error(`${path} is too long a name for a tar archive.`);
	}
	return { prefix: path.slice(0, cut), name: path.slice(cut + 1) };
}

/** The 512-byte header of a regular file, readable by any tar. */
export function tarHeader(path: string, size: number, mtime: Date): Buffer {
	if (size > MAX_SIZE) throw new Error(`${path} is too large for a tar archive.`);
	const header = Buffer.alloc(BLOCK);
	const { prefix, name } = splitName(path);
	writeString(header, name, 0, 100);
	writeOctal(header, 0o644, 100, 8);
	writeOctal(header, 0, 108, 8);
	writeOctal(header, 0, 116, 8);
	writeOctal(header, size, 124, 12);
	writeOctal(header, Math.floor(mtime.getTime() / 1000), 136, 12);
	header.write('        ', 148, 'latin1'); // the checksum counts its own field as spaces
	header.write('0', 156, 'latin1');
	header.write('ustar\u000000', 257, 'latin1');
	writeString(header, prefix, 345, 155);
	let sum = 0;
	for (const byte of header) sum += byte;
	writeString(header, `${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
	return header;
}

/** Zeros that bring a file's data to a whole number of blocks. */
export function tarPadding(size: number): Buffer {
	return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

export type TarEntry = { path: string; size: number; offset: number };

function readOctal(header: Buffer, offset: number, length: number): number {
	const text = header.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, '');
	return text ? parseInt(text, 8) : 0;
}

function readString(header: Buffer, offset: number, length: number): string {
	const end = header.indexOf(0, offset);
	return header.toString('utf8', offset, end >= 0 && end < offset + length ? end : offset + length);
}

/** The regular files of an archive: their names, sizes and where their data starts. */
export async function listTar(archive: string): Promise<TarEntry[]> {
	const file = await open(archive, 'r');
	try {
		const entries: TarEntry[] = [];
		const header = Buffer.alloc(BLOCK);
		for (let offset = 0; ;) {
			const { bytesRead } = await file.read(header, 0, BLOCK, offset);
			if (bytesRead < BLOCK || header.every((b) => b === 0)) return entries;
			let sum = 0;
			for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
			if (sum !== readOctal(header, 148, 8)) throw new Error(`Damaged tar header at ${offset}.`);
			const prefix = readString(header, 345, 155);
			const name = readString(header, 0, 100);
			const size = readOctal(header, 124, 12);
			const type = String.fromCharCode(header[156]);
			if (type === '0' || type === '\0') {
				entries.push({ path: prefix ? `${prefix}/${name}` : name, size, offset: offset + BLOCK });
			}
			offset += BLOCK + size + tarPadding(size).length;
		}
	} finally {
		await file.close();
	}
}

/**
 * Writes an archive's files under `into`. A name that would land outside it (absolute, or
 * with `..`) is refused: the archive is read back from disk, and could have been replaced.
 */
export async function extractTar(archive: string, into: string): Promise<string[]> {
	const entries = await listTar(archive);
	for (const entry of entries) {
		const relative = normalize(entry.path);
		if (isAbsolute(relative) || relative.split(sep).includes('..')) {
			throw new Error(`The archive names a file outside its folder: ${entry.path}`);
		}
	}
	for (const entry of entries) {
		const target = join(into, normalize(entry.path));
		await mkdir(dirname(target), { recursive: true });
		const source =
			entry.size > 0
				? createReadStream(archive, { start: entry.offset, end: entry.offset + entry.size - 1 })
				: [];
		await pipeline(source, createWriteStream(target));
	}
	return entries.map((entry) => entry.path);
}

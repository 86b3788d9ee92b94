const EMPTY = -1;

/**
 * The line each item id was first seen on, for the duplicate check of a JSONL import: the
 * subset of a Map<string, number> that the check uses.
 *
 * A Map of a million ids held the JavaScript heap at 300 MB and made each garbage collection
 * walk it: validating a million-item file took 29 s instead of 17. Here the ids' characters and
 * an open-addressing hash table live in flat typed arrays, which the collector never walks:
 * about 40 bytes an id.
 */
export class IdIndex {
	private chars = new Uint16Array(1 << 16);
	private charCount = 0;
	private starts = new Uint32Array(1 << 10);
	private lengths = new Uint32Array(1 << 10);
	private lines = new Uint32Array(1 << 10);
	private hashes = new Uint32Array(1 << 10);
	private count = 0;
	/** Entry numbers, at most half full so that probes stay short. */
	private slots = new Int32Array(1 << 11).fill(EMPTY);

	get size(): number {
		return this.count;
	}

	get(id: string): number | undefined {
		const entry = this.find(id, hashOf(id));
		return entry === EMPTY ? undefined : this.lines[entry];
	}

	set(id: string, line: number): this {
		const hash = hashOf(id);
		const found = this.find(id, hash);
		if (found !== EMPTY) {
			this.lines[found] = line;
			return this;
		}
		if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
		if (this.count === this.starts.length) {
			const capacity = this.count * 2;
			this.starts = grown(this.starts, capacity);
			this.lengths = grown(this.lengths, capacity);
			this.lines = grown(this.lines, capacity);
			this.hashes = grown(this.hashes, capacity);
		}
		if (this.charCount + id.length > this.chars.length) {
			this.chars = grown(this.chars, Math.max(this.chars.length * 2, this.charCount + id.length));
		}
		const entry = this.count++;
		this.starts[entry] = this.charCount;
		this.lengths[entry] = id.length;
		this.lines[entry] = line;
		this.hashes[entry] = hash;
		for (let i = 0; i < id.length; i++) this.chars[this.charCount + i] = id.charCodeAt(i);
		this.charCount += id.length;
		this.place(entry);
		return this;
	}

	private find(id: string, hash: number): number {
		const mask = this.slots.length - 1;
		for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
			const entry = this.slots[slot];
			if (entry === EMPTY) return EMPTY;
			if (this.hashes[entry] === hash && this.holds(entry, id)) return entry;
		}
	}

	private holds(entry: number, id: string): boolean {
		if (this.lengths[entry] !== id.length) return false;
		const start = this.starts[entry];
		for (let i = 0; i < id.length; i++) {
			if (this.chars[start + i] !== id.charCodeAt(i)) return false;
		}
		return true;
	}

	private place(entry: number): void {
		const mask = this.slots.length - 1;
		let slot = this.hashes[entry] & mask;
		while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
		this.slots[slot] = entry;
	}

	private rehash(slotCount: number): void {
		this.slots = new Int32Array(slotCount).fill(EMPTY);
		for (let entry = 0; entry < this.count; entry++) this.place(entry);
	}
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(id: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) {
		hash ^= id.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

function grown<T extends Uint16Array | Uint32Array>(array: T, length: number): T {
	const bigger = new (array.constructor as new (length: number) => T)(length);
	bigger.set(array);
	return bigger;
}

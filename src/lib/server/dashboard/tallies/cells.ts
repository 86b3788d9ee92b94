import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import { forEachPairCell, type PairCell } from '../../stats';

/**
 * Krippendorff's pair cells of one scope (the batch, a trait, the change without a reviewer)
 * are stored as one row: 32-bit little-endian integers [size, a, b, pairs, …], sorted by
 * size, a, b. A submit changes a hundred cells or more across the scopes of its item; merging
 * the changes into a few sorted rows costs far less than an upsert per cell. This runs for
 * every submitted review (a refresh of stale items merges several items' changes at once), so
 * cells stay numbers here, never objects.
 */

/** Beyond this, a value would not fit the cell's numeric key. */
const MAX_VALUE = 500_000;

/** One number per cell, exact in a double, ordered as the cells are: by size, a, b. */
function cellKey(size: number, a: number, b: number): number {
	if (Math.abs(a) >= MAX_VALUE || Math.abs(b) >= MAX_VALUE) {
		throw new RangeError(`A score of ${Math.abs(a) >= MAX_VALUE ? a : b} is out of range`);
	}
	return (size * 1_000_000 + a + MAX_VALUE) * 1_000_000 + b + MAX_VALUE;
}

/** Changes to one scope's cells, summed as they come. */
export class CellChanges {
	private readonly pairs = new Map<number, number>();

	/**
	 * Adds (sign 1) or takes out (sign -1) the cells of a unit with these values, or of the
	 * unit without the value at index `without`.
	 */
	addUnit(values: readonly number[], sign: number, without = -1): void {
		forEachPairCell(
			values,
			(size, a, b, pairs) => {
				const key = cellKey(size, a, b);
				this.pairs.set(key, (this.pairs.get(key) ?? 0) + sign * pairs);
			},
			without
		);
	}

	/** [key, pairs] of what did not cancel out, in cell order. */
	sorted(): [number, number][] {
		return [...this.pairs].filter(([, n]) => n !== 0).sort(([x], [y]) => x - y);
	}
}

export function unpackCells(buffer: Buffer): PairCell[] {
	const cells: PairCell[] = [];
	for (let at = 0; at < buffer.length; at += 16) {
		cells.push({
			size: buffer.readInt32LE(at),
			a: buffer.readInt32LE(at + 4),
			b: buffer.readInt32LE(at + 8),
			pairs: buffer.readInt32LE(at + 12)
		});
	}
	return cells;
}

function decode(key: number): [number, number, number] {
	const b = (key % 1_000_000) - MAX_VALUE;
	const rest = Math.floor(key / 1_000_000);
	return [Math.floor(rest / 1_000_000), (rest % 1_000_000) - MAX_VALUE, b];
}

/** Merges the changes into the stored row; the row goes once every count is back to 0. */
export function updateCells(
	client: Database.Database,
	batchId: number,
	scope: string,
	subject: number,
	changes: CellChanges
): void {
	const change = changes.sorted();
	if (change.length === 0) return;
	const old =
		(statement(
			client,
			`SELECT cells FROM agreement_tallies WHERE batch_id = ? AND scope = ? AND subject = ?`
		)
			.pluck()
			.get(batchId, scope, subject) as Buffer | undefined) ?? Buffer.alloc(0);
	const out = Buffer.alloc(old.length + change.length * 16);
	let length = 0;
	const put = (size: number, a: number, b: number, pairs: number) => {
		out.writeInt32LE(size, length);
		out.writeInt32LE(a, length + 4);
		out.writeInt32LE(b, length + 8);
		out.writeInt32LE(pairs, length + 12);
		length += 16;
	};
	let at = 0;
	let next = 0;
	while (at < old.length || next < change.length) {
		const stored =
			at < old.length
				? cellKey(old.readInt32LE(at), old.readInt32LE(at + 4), old.readInt32LE(at + 8))
				: Infinity;
		const [key, n] = next < change.length ? change[next] : [Infinity, 0];
		if (stored < key) {
			old.copy(out, length, at, at + 16);
			length += 16;
			at += 16;
			continue;
		}
		const pairs = n + (stored === key ? old.readInt32LE(at + 12) : 0);
		if (stored === key) at += 16;
		next += 1;
		if (pairs !== 0) put(...decode(key), pairs);
	}
	if (length === 0) {
		statement(
			client,
			`DELETE FROM agreement_tallies WHERE batch_id = ? AND scope = ? AND subject = ?`
		).run(batchId, scope, subject);
		return;
	}
	statement(
		client,
		`INSERT INTO agreement_tallies (batch_id, scope, subject, cells) VALUES (?, ?, ?, ?)
		 ON CONFLICT DO UPDATE SET cells = excluded.cells`
	).run(batchId, scope, subject, out.subarray(0, length));
}

// A batch built from a JSONL fixture the way an import would write it, but through the
// factories: the same content can be loaded any number of times, with no file to copy and no
// duplicate-import check to get past.
import { readFileSync } from 'node:fs';
import type { DB } from '../../src/lib/server/db';
import type { batches } from '../../src/lib/server/db/schema';
import { DEFAULT_LIMITS } from '../../src/lib/server/imports/limits';
import { detectFormat } from '../../src/lib/server/imports/parsers/detect';
import { parseNativeLine } from '../../src/lib/server/imports/parsers/native';
import { parseTrlLine } from '../../src/lib/server/imports/parsers/trl';
import type { ParsedItem } from '../../src/lib/server/imports/types';
import {
	makeBatch,
	makeConstitution,
	makeItem,
	makeTrait,
	type ItemRows,
	type TraitRows
} from './factories';
import { fixturePath } from './fixtures';

/** The items of a native or TRL JSONL text, read by the app's own parsers. */
export function parseJsonlItems(text: string, traitKey = 'preference'): ParsedItem[] {
	const format = detectFormat(text);
	if (format !== 'native' && format !== 'trl')
		throw new Error(`Not native or TRL JSONL: ${format}`);
	const parsed: ParsedItem[] = [];
	text.split('\n').forEach((line, i) => {
		if (!line.trim()) return;
		const { item, issues } =
			format === 'native'
				? parseNativeLine(line, i + 1, DEFAULT_LIMITS)
				: parseTrlLine(line, i + 1, traitKey, DEFAULT_LIMITS);
		if (!item) throw new Error(`Line ${i + 1} of the fixture: ${JSON.stringify(issues)}`);
		parsed.push(item);
	});
	return parsed;
}

export type FixtureBatch = {
	batch: typeof batches.$inferSelect;
	traits: Map<string, TraitRows>;
	items: ItemRows[];
	/** An item by its external id (an import names items without one `line-N`). */
	item: (externalId: string) => ItemRows;
};

/**
 * A batch holding the items of a JSONL text, in a new constitution with one trait per key (its
 * title the key, as an import creates it). Batch settings (status, overlap, blind…) come from
 * `batch`.
 */
export function makeBatchFromJsonl(
	db: DB,
	text: string,
	batch: Partial<typeof batches.$inferInsert> = {}
): FixtureBatch {
	const constitution = makeConstitution(db);
	const row = makeBatch(db, { ...batch, constitutionId: constitution.id });
	const traits = new Map<string, TraitRows>();
	const rows = parseJsonlItems(text).map((parsed) => {
		let trait = traits.get(parsed.traitKey);
		if (!trait)
			traits.set(
				parsed.traitKey,
				(trait = makeTrait(db, constitution.id, { key: parsed.traitKey }))
			);
		return makeItem(db, row.id, trait, {
			externalId: parsed.externalId ?? `line-${parsed.line}`,
			prompt: parsed.prompt,
			responses: parsed.responses,
			metadata: parsed.metadata,
			sourceLine: parsed.line
		});
	});
	const byId = new Map(rows.map((r) => [r.item.externalId, r]));
	return {
		batch: row,
		traits,
		items: rows,
		item: (externalId) => {
			const found = byId.get(externalId);
			if (!found) throw new Error(`No item ${externalId} in the fixture batch.`);
			return found;
		}
	};
}

/** The same, from a file in tests/fixtures/. */
export function makeBatchFromFixture(
	db: DB,
	name: string,
	batch: Partial<typeof batches.$inferInsert> = {}
): FixtureBatch {
	return makeBatchFromJsonl(db, readFileSync(fixturePath(name), 'utf8'), batch);
}

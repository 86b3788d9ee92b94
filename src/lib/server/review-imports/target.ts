import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { DomainError } from '../errors';

/**
 * The batch a reviews file is imported onto, read as the lines need it: an item by its id and
 * trait, its responses, and the trait versions. Items are kept once read, with their count of
 * submitted reviews as it was then, so that the reviews this import adds are counted on top.
 */

export type TargetBatch = {
	id: number;
	name: string;
	status: string;
	scalePoints: number;
	overlap: number;
	calibration: boolean;
};

export type TargetResponse = { id: number; position: number; externalId: string | null };

export type TargetItem = {
	id: number;
	externalId: string;
	traitId: number;
	submittedCount: number;
	responses: TargetResponse[];
};

/** The batch, refused unless it can take reviews: visible and not locked. */
export function requireReviewableBatch(db: AppDB, batchId: number): TargetBatch {
	const row = statement(
		db.$client,
		`SELECT id, name, status, scale_points, overlap, calibration FROM batches
		  WHERE id = ? AND status != 'importing'`
	).get(batchId) as
		| {
				id: number;
				name: string;
				status: string;
				scale_points: number;
				overlap: number;
				calibration: number;
		  }
		| undefined;
	if (!row) throw new DomainError('There is no such batch.', 'batch', 404);
	if (row.status === 'locked') {
		throw new DomainError(
			`The batch "${row.name}" is locked: its reviews are final. Unlock it first.`,
			'batch',
			409
		);
	}
	return {
		id: row.id,
		name: row.name,
		status: row.status,
		scalePoints: row.scale_points,
		overlap: row.overlap,
		calibration: Boolean(row.calibration)
	};
}

export class BatchTarget {
	private readonly items = new Map<string, TargetItem | null>();
	private readonly versions = new Map<string, number | null>();

	constructor(
		private readonly db: AppDB,
		readonly batch: TargetBatch
	) {}

	/** The item with this id and trait in the batch, or null. */
	item(externalId: string, traitKey: string): TargetItem | null {
		const key = JSON.stringify([externalId, traitKey]);
		if (!this.items.has(key)) this.items.set(key, this.readItem(externalId, traitKey));
		return this.items.get(key)!;
	}

	/** The id of the trait's version with this number, or null when this instance has none. */
	traitVersionId(traitId: number, version: number): number | null {
		const key = `${traitId}:${version}`;
		if (!this.versions.has(key)) {
			const row = statement(
				this.db.$client,
				`SELECT id FROM trait_versions WHERE trait_id = ? AND version = ?`
			).get(traitId, version) as { id: number } | undefined;
			this.versions.set(key, row?.id ?? null);
		}
		return this.versions.get(key)!;
	}

	/**
	 * The item's response texts by id, for placing a line's evidence spans. Read per line that
	 * carries spans rather than kept with the item: texts are the bulk of a batch.
	 */
	responseTexts(itemId: number): Map<number, string> {
		const rows = statement(
			this.db.$client,
			`SELECT id, content FROM responses WHERE item_id = ?`
		).all(itemId) as { id: number; content: string }[];
		return new Map(rows.map((r) => [r.id, r.content]));
	}

	/** Whether the user already has a review of the item (of any status). */
	hasReview(itemId: number, userId: number): boolean {
		return (
			statement(this.db.$client, `SELECT 1 FROM reviews WHERE item_id = ? AND user_id = ?`).get(
				itemId,
				userId
			) !== undefined
		);
	}

	private readItem(externalId: string, traitKey: string): TargetItem | null {
		const c = this.db.$client;
		const row = statement(
			c,
			`SELECT i.id, i.trait_id, i.submitted_count FROM items i JOIN traits t ON t.id = i.trait_id
			  WHERE i.batch_id = ? AND i.external_id = ? AND t.key = ?`
		).get(this.batch.id, externalId, traitKey) as
			{ id: number; trait_id: number; submitted_count: number } | undefined;
		if (!row) return null;
		const responses = (
			statement(
				c,
				`SELECT id, position, external_id FROM responses WHERE item_id = ? ORDER BY position`
			).all(row.id) as { id: number; position: number; external_id: string | null }[]
		).map((r) => ({ id: r.id, position: r.position, externalId: r.external_id }));
		return {
			id: row.id,
			externalId,
			traitId: row.trait_id,
			submittedCount: row.submitted_count,
			responses
		};
	}
}

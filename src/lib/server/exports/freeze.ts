import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { statement } from '../db/statements';
import { DomainError } from '../errors';

/**
 * Recording an export makes its batches' adjudications final, but the file is read from a
 * snapshot taken when the export started. A decision made in between would be frozen yet
 * missing from the file. So the export notes the decisions its snapshot holds, and is recorded
 * only if they are still the decisions when the record is written, under the write lock that
 * adjudications also take: what is frozen is always exactly what the file holds.
 */

const DECISIONS_SQL = `
	SELECT item_id, decision, final_order, note, decided_by, decided_at
	  FROM adjudications
	 WHERE batch_id IN (SELECT value FROM json_each(?))
	 ORDER BY item_id`;

/** A fingerprint of every decision on the batches, as this connection sees them. */
export function fingerprintDecisions(
	client: Database.Database,
	batchIds: readonly number[]
): string {
	const hash = createHash('sha256');
	for (const row of statement(client, DECISIONS_SQL).iterate(JSON.stringify(batchIds))) {
		hash.update(JSON.stringify(row)).update('\n');
	}
	return hash.digest('hex');
}

/** Refuses to record an export whose batches' decisions changed while its file was written. */
export function ensureDecisionsUnchanged(
	client: Database.Database,
	batchIds: readonly number[],
	fingerprint: string
): void {
	if (fingerprintDecisions(client, batchIds) === fingerprint) return;
	throw new DomainError(
		'An adjudication on these batches changed while the export was being written, so the file would not hold every final decision. Nothing was recorded: run the export again.',
		undefined,
		409
	);
}

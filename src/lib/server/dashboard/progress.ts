import { sql } from 'drizzle-orm';
import type { DB } from '../db';

/**
 * Progress counts submitted reviews against the reviews wanted: every item that has responses,
 * times the batch's overlap. An item's reviews beyond its overlap (after the overlap was
 * lowered) do not count, so progress never passes 100%.
 */

export type ReviewProgress = { done: number; wanted: number };

export type BatchProgressRow = ReviewProgress & {
	id: number;
	name: string;
	status: string;
	overlap: number;
	/** Items that have responses to review. */
	items: number;
	researchers: number;
};

/** Every batch with its progress, newest first: the overview across batches. */
export function listBatchProgress(db: DB): BatchProgressRow[] {
	return db
		.all<Omit<BatchProgressRow, 'wanted'>>(
			sql`
		select b.id, b.name, b.status, b.overlap, count(i.id) as items,
		       coalesce(sum(min(i.submitted_count, b.overlap)), 0) as done,
		       (select count(*) from assignments a where a.batch_id = b.id) as researchers
		  from batches b
		  left join items i on i.batch_id = b.id and i.response_count > 0
		 where b.status <> 'importing'
		 group by b.id
		 order by b.created_at desc, b.id desc`
		)
		.map((row) => ({ ...row, wanted: row.items * row.overlap }));
}

export type TraitProgress = ReviewProgress & { traitId: number; key: string; items: number };

export type BatchProgress = ReviewProgress & { items: number; byTrait: TraitProgress[] };

/** Progress of one batch, overall and per trait. */
export function batchProgress(db: DB, batchId: number): BatchProgress {
	const byTrait = db
		.all<Omit<TraitProgress, 'wanted'> & { overlap: number }>(
			sql`
		select t.id as traitId, t.key as key, b.overlap as overlap, count(*) as items,
		       sum(min(i.submitted_count, b.overlap)) as done
		  from items i
		  join batches b on b.id = i.batch_id
		  join traits t on t.id = i.trait_id
		 where i.batch_id = ${batchId} and i.response_count > 0
		 group by t.id
		 order by t.key`
		)
		.map(({ overlap, ...row }) => ({ ...row, wanted: row.items * overlap }));
	return summariseProgress(byTrait);
}

/** The batch's progress from its traits'. */
export function summariseProgress(byTrait: TraitProgress[]): BatchProgress {
	return {
		items: byTrait.reduce((sum, t) => sum + t.items, 0),
		done: byTrait.reduce((sum, t) => sum + t.done, 0),
		wanted: byTrait.reduce((sum, t) => sum + t.wanted, 0),
		byTrait
	};
}

export type ResearcherProgress = {
	userId: number;
	submitted: number;
	skipped: number;
	drafts: number;
	quota: number | null;
	/**
	 * The submitted reviews expected of this researcher: their quota when they have one (at most
	 * one review per item), otherwise an even share of what the quotas leave. Null when they are
	 * no longer assigned.
	 */
	target: number | null;
};

/**
 * Each researcher who is assigned to the batch or has reviewed in it, by user id. Targets:
 * a quota counts as is (capped at the number of items); the reviews the quotas leave,
 * (items × overlap − quotas), are shared evenly among the researchers without one, rounded up
 * and capped at one review per item.
 */
export function listResearcherProgress(db: DB, batchId: number): ResearcherProgress[] {
	const batch = db.get<{ overlap: number; items: number }>(sql`
		select b.overlap as overlap,
		       (select count(*) from items i where i.batch_id = b.id and i.response_count > 0) as items
		  from batches b where b.id = ${batchId}`);
	if (!batch) return [];
	const assigned = listAssigned(db, batchId);
	const counts = db.all<ReviewCount>(sql`
		select user_id as userId, status, count(*) as n from reviews
		 where batch_id = ${batchId} group by user_id, status`);
	return researcherProgressFrom(batch, assigned, counts);
}

export function listAssigned(db: DB, batchId: number) {
	return db.all<{ userId: number; quota: number | null }>(
		sql`select user_id as userId, quota from assignments where batch_id = ${batchId}`
	);
}

/** Reviews of one researcher in one status. */
export type ReviewCount = { userId: number; status: string; n: number };

/** Each researcher's progress from the batch's settings, the assignments and the review counts. */
export function researcherProgressFrom(
	batch: { overlap: number; items: number },
	assigned: { userId: number; quota: number | null }[],
	counts: ReviewCount[]
): ResearcherProgress[] {
	const quotaTargets = assigned
		.filter((a) => a.quota !== null)
		.reduce((sum, a) => sum + Math.min(a.quota!, batch.items), 0);
	const unquoted = assigned.filter((a) => a.quota === null).length;
	const share =
		unquoted === 0
			? 0
			: Math.min(
					batch.items,
					Math.ceil(Math.max(0, batch.items * batch.overlap - quotaTargets) / unquoted)
				);

	const rows = new Map<number, ResearcherProgress>();
	const row = (userId: number) => {
		let found = rows.get(userId);
		if (!found) {
			found = { userId, submitted: 0, skipped: 0, drafts: 0, quota: null, target: null };
			rows.set(userId, found);
		}
		return found;
	};
	for (const a of assigned) {
		const r = row(a.userId);
		r.quota = a.quota;
		r.target = a.quota === null ? share : Math.min(a.quota, batch.items);
	}
	for (const c of counts) {
		const r = row(c.userId);
		if (c.status === 'submitted') r.submitted = c.n;
		else if (c.status === 'skipped') r.skipped = c.n;
		else r.drafts = c.n;
	}
	return [...rows.values()].sort((a, b) => a.userId - b.userId);
}

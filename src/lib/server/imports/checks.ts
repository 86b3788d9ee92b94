import { eq } from 'drizzle-orm';
import { formatCount } from '$lib/format';
import type { DB } from '../db';
import { batches, traits } from '../db/schema';
import type { IssueList } from './issues';

/** Checks against what the database already holds, made before anything is written. */

export function isBatchNameTaken(db: DB, name: string): boolean {
	return !!db.select({ id: batches.id }).from(batches).where(eq(batches.name, name)).get();
}

export function batchNameTaken(name: string): string {
	return `There is already a batch named "${name}". Choose another name.`;
}

/** Items may only name traits the constitution has and has not archived. */
export function checkTraitsExist(
	db: DB,
	constitutionId: number,
	name: string,
	keys: Set<string>,
	issues: IssueList
): void {
	const rows = db
		.select({ key: traits.key, archivedAt: traits.archivedAt })
		.from(traits)
		.where(eq(traits.constitutionId, constitutionId))
		.all();
	const archived = new Set(rows.filter((t) => t.archivedAt).map((t) => t.key));
	const known = new Set(rows.map((t) => t.key));
	const list = (ks: string[]) =>
		ks
			.slice(0, 10)
			.map((k) => `"${k}"`)
			.join(', ') + (ks.length > 10 ? ` and ${formatCount(ks.length - 10)} more` : '');
	const missing = [...keys].filter((k) => !known.has(k));
	if (missing.length) {
		issues.add({
			line: 0,
			path: 'trait',
			message: `The constitution "${name}" has no trait ${list(missing)}. Add the traits first, or import into a new constitution.`
		});
	}
	const retired = [...keys].filter((k) => archived.has(k));
	if (retired.length) {
		issues.add({
			line: 0,
			path: 'trait',
			message: `The trait ${list(retired)} is archived, so it takes no new batches. Restore it first.`
		});
	}
}

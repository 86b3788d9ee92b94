import { eq } from 'drizzle-orm';
import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import { findConstitutionByName } from '../catalog';
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

/** createConstitution's limit, checked here so that a long name fails before the write. */
const MAX_CONSTITUTION_NAME = 200;

/**
 * A constitution that does not exist yet must have a name the catalog takes. A default name
 * comes from the file's name, which can be longer than that.
 */
export function constitutionNameIssue(db: DB, name: string): ImportIssue | null {
	const trimmed = name.trim();
	if (trimmed.length <= MAX_CONSTITUTION_NAME && trimmed) return null;
	if (findConstitutionByName(db, trimmed)) return null;
	const message = trimmed
		? `The constitution name has ${formatCount(trimmed.length)} characters; names can have at most ${MAX_CONSTITUTION_NAME}. Name the constitution to import into.`
		: 'Name the constitution to import into.';
	return { line: 0, path: 'constitution', message };
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

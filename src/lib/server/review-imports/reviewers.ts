import type { ImportIssue } from '$lib/import-result';
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { createExternalReviewer, findUserForLogin, usernameSchema } from '../users';

/**
 * Who each reviewer of the file becomes here: an account the lead names (`reviewer-1=alice`),
 * or else an external reviewer, `ext-<source>-<reviewer>`, created by the import. The same file
 * imported again finds the same names, so its reviews are refused as duplicates.
 */

/** The file's reviewer name → the username of an existing account. */
export type ReviewerMap = Map<string, string>;

/**
 * `reviewer-1=alice` entries, from the command line (one per --map) or the page's text box
 * (one per line, or separated by commas).
 */
export function parseReviewerMap(entries: string[]): ReviewerMap {
	const map: ReviewerMap = new Map();
	const pieces = entries.flatMap((e) => e.split(/[\n,]/)).map((e) => e.trim());
	for (const piece of pieces.filter(Boolean)) {
		const at = piece.lastIndexOf('=');
		const name = piece.slice(0, at).trim();
		const username = piece
			.slice(at + 1)
			.trim()
			.toLowerCase();
		if (at < 1 || !username) {
			throw new DomainError(`"${piece}" is not reviewer=username (e.g. reviewer-1=alice).`, 'map');
		}
		if (map.has(name)) throw new DomainError(`"${name}" is mapped twice.`, 'map');
		map.set(name, username);
	}
	return map;
}

/** Lower-case letters, digits and dashes, as a username allows. */
function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

const MAX_SOURCE = 16;

/** The source part of external names: the option, else the batch the file came from. */
export function sourceSlug(raw: string): string {
	return slug(raw).slice(0, MAX_SOURCE).replace(/-+$/, '') || 'import';
}

export function externalUsername(source: string, reviewer: string): string | null {
	const name = `ext-${source}-${slug(reviewer)}`;
	const parsed = usernameSchema.safeParse(name);
	return slug(reviewer) && parsed.success ? parsed.data : null;
}

export type Reviewer = {
	name: string;
	username: string;
	/** Null until the import creates the external reviewer (write pass only). */
	userId: number | null;
	external: boolean;
	created: boolean;
};

/**
 * Resolves each reviewer name once per pass. In the write pass (inside the import's
 * transaction) a missing external reviewer is created; in the check pass it is only planned.
 */
export class ReviewerResolver {
	private readonly found = new Map<string, Reviewer | ImportIssue>();
	/** External usernames taken so far, to tell two names that would share one apart. */
	private readonly usernames = new Map<string, string>();

	constructor(
		private readonly db: AppDB,
		private readonly map: ReviewerMap,
		private readonly source: string,
		private readonly actorId: number | null,
		private readonly write: boolean
	) {}

	resolve(name: string, line: number): Reviewer | ImportIssue {
		let known = this.found.get(name);
		if (!known) this.found.set(name, (known = this.lookUp(name, line)));
		return 'message' in known ? { ...known, line } : known;
	}

	/** Every reviewer resolved, in the order first met. */
	reviewers(): Reviewer[] {
		return [...this.found.values()].filter((r): r is Reviewer => !('message' in r));
	}

	/** Map entries that name no reviewer of the file: most likely a typo. */
	unusedMapEntries(): ImportIssue[] {
		return [...this.map.keys()]
			.filter((name) => !this.found.has(name))
			.map((name) => ({
				line: 0,
				path: 'map',
				message: `The map names "${name}", but no line of the file has that reviewer.`
			}));
	}

	private lookUp(name: string, line: number): Reviewer | ImportIssue {
		const mapped = this.map.get(name);
		if (mapped !== undefined) {
			const user = findUserForLogin(this.db, mapped);
			if (!user) {
				return {
					line,
					path: 'reviewer',
					message: `"${name}" is mapped to "${mapped}", but there is no such account.`
				};
			}
			return {
				name,
				username: user.username,
				userId: user.id,
				external: user.external,
				created: false
			};
		}
		const username = externalUsername(this.source, name);
		if (!username) {
			return {
				line,
				path: 'reviewer',
				message: `"${name}" cannot become a username: map it to an account (${name}=username).`
			};
		}
		const other = this.usernames.get(username);
		if (other !== undefined) {
			return {
				line,
				path: 'reviewer',
				message: `"${name}" and "${other}" would both become "${username}": map one of them to an account.`
			};
		}
		this.usernames.set(username, name);
		const user = findUserForLogin(this.db, username);
		if (user && !user.external) {
			return {
				line,
				path: 'reviewer',
				message: `"${username}" is an account that can sign in, not an external reviewer: map "${name}" to it explicitly, or to another account.`
			};
		}
		if (user) return { name, username, userId: user.id, external: true, created: false };
		if (!this.write) return { name, username, userId: null, external: true, created: true };
		const createdUser = createExternalReviewer(this.db, this.actorId, username, name);
		return { name, username, userId: createdUser.id, external: true, created: true };
	}
}

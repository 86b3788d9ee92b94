import { diffWords } from 'diff';
import type { TraitVersion } from '../db/schema';

export type VersionDiff = {
	from: number;
	to: number;
	/** The words of the two versions in order, each kept, added or removed. */
	parts: { value: string; added: boolean; removed: boolean }[];
};

/** The version as one text, so that one word diff covers every field. */
function versionText(v: TraitVersion): string {
	const rubric = v.rubric?.map((line, i) => `${i + 1}. ${line}`).join('\n') ?? '(none)';
	return `Title: ${v.title}\nAuthority: ${v.authority ?? '(none)'}\n\n${v.description}\n\nRubric:\n${rubric}`;
}

/**
 * What changed between two versions of a trait, word by word. `versions` is newest first, as
 * getTrait gives them; a version number that is missing falls back to the latest change (the
 * version before the current one against the current one).
 */
export function diffTraitVersions(
	versions: readonly TraitVersion[],
	fromVersion?: number,
	toVersion?: number
): VersionDiff {
	const byNumber = new Map(versions.map((v) => [v.version, v]));
	const find = (version?: number) => (version === undefined ? undefined : byNumber.get(version));
	const current = versions[0];
	const from = find(fromVersion) ?? versions[1] ?? current;
	const to = find(toVersion) ?? current;
	return {
		from: from.version,
		to: to.version,
		parts: diffWords(versionText(from), versionText(to)).map((p) => ({
			value: p.value,
			added: Boolean(p.added),
			removed: Boolean(p.removed)
		}))
	};
}

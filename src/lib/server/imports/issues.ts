import { formatCount } from '$lib/format';
import type { ImportFailure, ImportIssue } from '$lib/import-result';

/** A file with thousands of bad lines gets the first hundred, and the count of all of them. */
export const MAX_REPORTED_ISSUES = 100;

export function failure(
	code: ImportFailure['code'],
	message: string,
	issues: ImportIssue[] = [],
	totalIssues = issues.length
): ImportFailure {
	return { ok: false, code, message, issues: issues.slice(0, MAX_REPORTED_ISSUES), totalIssues };
}

/** The failure of a file with problems: how many, and the first hundred of them. */
export function invalidFile(issues: ImportIssue[], totalIssues = issues.length): ImportFailure {
	const s = totalIssues === 1 ? '' : 's';
	return failure(
		'invalid_file',
		`The file has ${formatCount(totalIssues)} problem${s}. Nothing was imported.`,
		issues,
		totalIssues
	);
}

/** Collects issues: keeps the first hundred, counts them all. */
export class IssueList {
	readonly kept: ImportIssue[] = [];
	total = 0;
	add(issue: ImportIssue) {
		this.total += 1;
		if (this.kept.length < MAX_REPORTED_ISSUES) this.kept.push(issue);
	}
	addAll(list: ImportIssue[]) {
		for (const issue of list) this.add(issue);
	}
}

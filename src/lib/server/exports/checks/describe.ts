import { PAIRING_LABELS } from '$lib/export-options';
import { formatCount, formatPercent } from '$lib/format';
import { MIN_CONFLICT_PAIRS, type ConflictReport } from './conflicts';
import type { ItemIds } from './content';
import type { Screening } from './screen';

/** The share of compared pairs in conflict, with its n; too few to judge below the minimum. */
export function describeConflictShare(report: ConflictReport): string {
	const n = `n = ${formatCount(report.compared)} response pairs ordered on two traits`;
	if (report.compared < MIN_CONFLICT_PAIRS) {
		return `${n}: too few to judge how often traits disagree (needs ${MIN_CONFLICT_PAIRS}).`;
	}
	return `${formatPercent(report.count / report.compared)} of them ordered the other way on another trait (${n}).`;
}

/** Item ids as a lead reads them: the listed ones, and how many more there are. */
export function describeItemIds(items: ItemIds): string {
	if (items.total === 0) return 'none';
	const more = items.total - items.ids.length;
	return items.ids.join(', ') + (more > 0 ? ` and ${formatCount(more)} more` : '');
}

/** Markdown table cells hold no pipe or line break of their own. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The dataset card's record of the content checks and of conflicts between traits. */
export function describeScreening(screening: Screening | null | undefined): string[] {
	if (!screening) return [];
	const { conflicts } = screening;
	return [
		'## Content checks',
		'',
		`${formatCount(screening.pairsChecked)} pairs checked as this format writes them; ${formatCount(screening.pairsDropped)} left out by a check set to drop.`,
		'',
		'| check | pairs found | action | pairs dropped | items (ids as imported) |',
		'| --- | --- | --- | --- | --- |',
		...screening.checks.map(
			(c) =>
				`| ${cell(c.label)} | ${formatCount(c.count)} | ${c.action} | ${formatCount(c.dropped)} | ${cell(describeItemIds(c.itemIds))} |`
		),
		'',
		'## Conflicts between traits',
		'',
		`- Pairing: ${PAIRING_LABELS[screening.pairing]}`,
		`- Conflicts (A over B on one trait, B over A on another): ${formatCount(conflicts.count)}. ${describeConflictShare(conflicts)}`,
		`- Pairs left out for a conflict: ${formatCount(conflicts.dropped)}`,
		...conflicts.conflicts.map(
			(c) =>
				`- ${cell(c.first.itemId)} (${c.first.traitKey}): ${cell(c.first.chosen)} over ${cell(c.first.rejected)}; ${cell(c.second.itemId)} (${c.second.traitKey}): ${cell(c.second.chosen)} over ${cell(c.second.rejected)}`
		),
		...(conflicts.count > conflicts.conflicts.length
			? [`- … and ${formatCount(conflicts.count - conflicts.conflicts.length)} more`]
			: []),
		''
	];
}

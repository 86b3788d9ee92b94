import { describeRank, moveInRanking, toggleTieInRanking } from '$lib/ranking-moves';
import type { EvidenceStance } from '$lib/evidence';
import { groupsFromRanks, groupsFromScores, ranksFromGroups } from '$lib/review-input';

/** One evidence span as the page keeps it and sends it ($lib/evidence.ts checks it). */
export type EvidenceSpan = {
	responseId: number;
	start: number;
	end: number;
	stance: EvidenceStance;
	note: string | null;
};

type Saved = {
	scores: Record<number, number | null>;
	ranks: Record<number, number | null>;
	comments: Record<number, string>;
	overallComment: string;
	flags: string[];
	evidence?: EvidenceSpan[];
};

/**
 * What the researcher has entered on one item, and the ranking it implies: the scores' order
 * until they reorder it themselves. The page is keyed by item, so one instance serves one item.
 */
export class ReviewForm {
	scores = $state<Record<number, number | null>>({});
	comments = $state<Record<number, string>>({});
	overallComment = $state('');
	flags = $state<string[]>([]);
	/** Evidence spans on any response, in the order marked. */
	evidence = $state<EvidenceSpan[]>([]);
	/** The researcher's own order, ties as groups; null while the ranking follows the scores. */
	manualGroups = $state<number[][] | null>(null);
	readonly groups = $derived.by(() => this.manualGroups ?? groupsFromScores(this.ids, this.scores));
	readonly ranks = $derived.by(() => ranksFromGroups(this.groups));

	constructor(
		readonly ids: number[],
		saved: Saved | null
	) {
		this.scores = Object.fromEntries(ids.map((id) => [id, saved?.scores[id] ?? null]));
		this.comments = Object.fromEntries(ids.map((id) => [id, saved?.comments[id] ?? '']));
		this.overallComment = saved?.overallComment ?? '';
		this.flags = saved?.flags ?? [];
		this.evidence = saved?.evidence ?? [];
		// A saved ranking that the scores alone would not give was the researcher's own.
		const groups = saved ? groupsFromRanks(ids, saved.ranks) : [];
		const own =
			groups.flat().length === ids.length &&
			JSON.stringify(groups) !== JSON.stringify(groupsFromScores(ids, saved?.scores ?? {}));
		this.manualGroups = own ? groups : null;
	}

	/** Where the ranking puts a response ("2", "1, tied"), once it has a place of its own. */
	rankLabel(id: number): string | null {
		if (!this.manualGroups && this.scores[id] == null) return null;
		const tied = this.groups.some((group) => group.length > 1 && group.includes(id));
		return `${this.ranks[id]}${tied ? ', tied' : ''}`;
	}

	letterOf = (id: number) => String.fromCharCode(65 + this.ids.indexOf(id));

	/** Moves a response one place up (-1) or down (1); says what happened, for a live region. */
	moveInRanking(id: number, delta: -1 | 1): string {
		const next = moveInRanking(this.groups, id, delta);
		if (!next) return `Response ${this.letterOf(id)} is already ${delta < 0 ? 'first' : 'last'}.`;
		this.manualGroups = next;
		return describeRank(next, id, this.letterOf);
	}

	/** Ties a response with the one above it, or unties it; says what happened. */
	toggleTie(id: number): string {
		const next = toggleTieInRanking(this.groups, id);
		if (!next) return `Response ${this.letterOf(id)} is first: there is none above to tie it with.`;
		this.manualGroups = next;
		return describeRank(next, id, this.letterOf);
	}

	/** The review as the server takes it (review-input.ts). */
	payload(timeSpentMs: number) {
		return {
			scores: this.scores,
			ranks: this.ranks,
			comments: this.comments,
			overallComment: this.overallComment,
			flags: this.flags,
			timeSpentMs,
			evidence: this.evidence
		};
	}
}

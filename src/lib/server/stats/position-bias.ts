/**
 * Position bias: does the response shown first win more often than chance?
 *
 * A "win" is the first-shown response being the single top response of a judgement. When the
 * order shown has nothing to do with the judgement (it is shuffled per reviewer and item), the
 * first-shown of k responses is the top one with chance 1/k. Judgements whose top is a tie name
 * no winner and are left out (and counted), rather than counted as half a win: half-wins would
 * break the exact test, which counts whole successes.
 *
 * Items with different numbers of responses mix chances (1/2, 1/3, …), so the count of wins is
 * tested against the Poisson-binomial distribution: one binomial per number of responses,
 * convolved. With a single k this is the ordinary exact binomial test.
 */
import { poissonBinomialTest, type ExactTest } from './binomial';

export type FirstShownOutcome =
	| { kind: 'counted'; responses: number; firstWon: boolean }
	/** Two or more responses share the top: no single winner. */
	| { kind: 'tied-top' }
	/** Fewer than two responses judged, or the first-shown one not judged at all. */
	| { kind: 'incomplete' };

/**
 * The outcome of one judgement. `shown` lists the responses in the order they were shown;
 * `merit` holds the judgement of each, higher is better (a rank's negative, or a score).
 */
export function firstShownOutcome(
	shown: readonly string[],
	merit: ReadonlyMap<string, number>
): FirstShownOutcome {
	const judged = shown.filter((id) => Number.isFinite(merit.get(id)));
	if (judged.length < 2 || judged[0] !== shown[0]) return { kind: 'incomplete' };
	const best = Math.max(...judged.map((id) => merit.get(id)!));
	const top = judged.filter((id) => merit.get(id) === best);
	if (top.length > 1) return { kind: 'tied-top' };
	return { kind: 'counted', responses: judged.length, firstWon: top[0] === shown[0] };
}

export interface PositionBias {
	/** Judgements with a single winner. */
	trials: number;
	/** Of those, how many the first-shown response won. */
	wins: number;
	/** wins / trials; null without trials. */
	rate: number | null;
	/** The win rate expected by chance: the mean of 1/k over the trials. */
	chance: number | null;
	/** The exact test, or null below the minimum number of trials. */
	test: ExactTest | null;
	/** Judgements left out because their top was a tie. */
	tiedTop: number;
	/** Judgements left out as incomplete. */
	incomplete: number;
}

/** Outcomes added one at a time, so a whole batch is never held in memory. */
export class PositionTally {
	private wins = 0;
	private tiedTop = 0;
	private incomplete = 0;
	/** Trials by number of responses judged. */
	private readonly byResponses = new Map<number, number>();

	add(outcome: FirstShownOutcome): void {
		if (outcome.kind === 'tied-top') this.tiedTop++;
		else if (outcome.kind === 'incomplete') this.incomplete++;
		else {
			this.byResponses.set(outcome.responses, (this.byResponses.get(outcome.responses) ?? 0) + 1);
			if (outcome.firstWon) this.wins++;
		}
	}

	/** The tally and, from `minimum` trials on, its exact test against chance. */
	summarise(minimum: number): PositionBias {
		const groups = [...this.byResponses].map(([k, trials]) => ({ trials, p: 1 / k }));
		const trials = groups.reduce((total, g) => total + g.trials, 0);
		const expected = groups.reduce((total, g) => total + g.trials * g.p, 0);
		return {
			trials,
			wins: this.wins,
			rate: trials > 0 ? this.wins / trials : null,
			chance: trials > 0 ? expected / trials : null,
			test: trials > 0 && trials >= minimum ? poissonBinomialTest(this.wins, groups) : null,
			tiedTop: this.tiedTop,
			incomplete: this.incomplete
		};
	}
}

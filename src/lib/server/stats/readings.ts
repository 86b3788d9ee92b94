/**
 * One line of plain language per measure, for leads who do not read alpha or tau every day.
 * Each line shows the figure, rounded as everywhere else, then what it means on a published
 * scale; below what can be judged it says so instead of giving a reading.
 */
import { formatFixed, formatPercent } from '$lib/format';

/** Krippendorff's alpha on his 0.8 / 0.667 thresholds. */
export function describeAlpha(alpha: number | null): string {
	if (alpha === null || Number.isNaN(alpha)) {
		return 'Not enough overlapping reviews to measure agreement.';
	}
	const shown = `α = ${formatFixed(alpha)}`;
	if (alpha >= 0.8) return `${shown}: reliable — reviewers agree well enough to trust the scores.`;
	if (alpha >= 0.667) {
		return `${shown}: tentative conclusions only — reviewers agree only moderately.`;
	}
	return `${shown}: unreliable — reviewers disagree too much to trust the scores.`;
}

/** Kendall's W on Schmidt's (1997) scale. */
export function describeConcordance(w: number | null): string {
	if (w === null) return 'No item has full rankings from two reviewers yet.';
	const shown = `W = ${formatFixed(w)}`;
	if (w >= 0.7) return `${shown}: strong — reviewers rank an item's responses much the same way.`;
	if (w >= 0.5) return `${shown}: moderate — reviewers' rankings broadly agree.`;
	if (w >= 0.3) return `${shown}: weak — reviewers' rankings often differ.`;
	return `${shown}: very weak — reviewers rank the responses in different orders.`;
}

/** Kendall's tau between the AI judge's order and the human consensus. */
export function describeTau(tau: number | null): string {
	if (tau === null) return 'No item has both an AI order and a human consensus yet.';
	const shown = `τ = ${formatFixed(tau)}`;
	if (tau >= 0.6) return `${shown}: humans mostly keep the AI's order.`;
	if (tau >= 0.2) return `${shown}: humans partly agree with the AI's order.`;
	if (tau > -0.2) return `${shown}: the human order is unrelated to the AI's.`;
	return `${shown}: humans mostly reverse the AI's order.`;
}

/** How often the consensus puts a GOOD reference response above a BAD one. */
export function describeReferenceRate(rate: number | null): string {
	if (rate === null) return 'No item with both a GOOD and a BAD response has a consensus yet.';
	const shown = `GOOD above BAD in ${formatPercent(rate)} of pairs`;
	if (rate >= 0.9) return `${shown}: reviewers side with the reference almost always.`;
	if (rate >= 0.7) return `${shown}: reviewers mostly side with the reference.`;
	if (rate >= 0.5) return `${shown}: reviewers and the reference often disagree.`;
	return `${shown}: reviewers more often than not fail to prefer the GOOD response.`;
}

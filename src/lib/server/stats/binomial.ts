/**
 * Exact tests on a count of successes: the binomial test (every trial has the same chance) and
 * its Poisson-binomial generalisation (trials in groups with different chances, such as "the
 * first-shown of k responses wins" over items with different k).
 *
 * The two-sided p-value is R's `binom.test` one ("minlike"): the total probability of every
 * count that is no more likely than the one observed, with R's relative tolerance of 1e-7 so
 * that counts equally likely on paper are not split by rounding.
 */

export interface TrialGroup {
	/** How many trials share this chance of success. */
	trials: number;
	/** The chance of success of each of them under the null hypothesis. */
	p: number;
}

export interface ExactTest {
	successes: number;
	trials: number;
	/** Successes expected under the null: the sum of the trials' chances. */
	expected: number;
	/** Two-sided p-value. */
	pValue: number;
	/** One-sided: P(X ≥ successes). */
	pGreater: number;
	/** One-sided: P(X ≤ successes). */
	pLess: number;
}

/** R's tolerance for "no more likely than the observed count". */
const RELATIVE_TOLERANCE = 1 + 1e-7;

/**
 * Probabilities this small are dropped from the ends of a distribution. They cannot move a
 * p-value anyone reads (pages show "p < 0.001"), and dropping them keeps the convolution of
 * large groups quick: a batch of 300,000 reviews with two sizes of item takes tenths of a
 * second instead of seconds. The price: a p-value below about 1e-25 may come out as 0.
 */
const NEGLIGIBLE = 1e-30;

/** Exact binomial test of `successes` in `trials`, each with chance `p`. */
export function binomialTest(successes: number, trials: number, p: number): ExactTest {
	return poissonBinomialTest(successes, [{ trials, p }]);
}

/**
 * Exact test of `successes` among trials whose chances differ by group: the null distribution is
 * the convolution of one binomial per group (the Poisson-binomial distribution), which is
 * unimodal, so "no more likely than observed" covers both tails as in the binomial test.
 */
export function poissonBinomialTest(successes: number, groups: readonly TrialGroup[]): ExactTest {
	for (const group of groups) checkGroup(group);
	const trials = groups.reduce((total, g) => total + g.trials, 0);
	if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
		throw new RangeError(`successes must be a whole number from 0 to ${trials}, got ${successes}`);
	}
	const expected = groups.reduce((total, g) => total + g.trials * g.p, 0);
	const distribution = groups
		.filter((g) => g.trials > 0)
		.map((g) => binomialDistribution(g.trials, g.p))
		.reduce(convolve, { start: 0, probabilities: Float64Array.of(1) });

	const { start, probabilities } = distribution;
	const observed = probabilities[successes - start] ?? 0;
	let pLess = 0;
	let pGreater = 0;
	let twoSided = 0;
	probabilities.forEach((probability, i) => {
		const count = start + i;
		if (count <= successes) pLess += probability;
		if (count >= successes) pGreater += probability;
		if (probability <= observed * RELATIVE_TOLERANCE) twoSided += probability;
	});
	return {
		successes,
		trials,
		expected,
		// As in R: the expected count itself is as likely as it gets, whatever the rounding says.
		pValue: Math.abs(successes - expected) < 1e-9 ? 1 : Math.min(1, twoSided),
		pGreater: Math.min(1, pGreater),
		pLess: Math.min(1, pLess)
	};
}

/** Probabilities of the counts start, start + 1, …; every other count is negligible. */
interface Distribution {
	start: number;
	probabilities: Float64Array;
}

/**
 * Binomial probabilities worked out outwards from the mode by the ratio of neighbours,
 * P(k + 1) / P(k) = (n − k) / (k + 1) · p / q, then scaled to sum to 1: no binomial coefficient
 * to overflow, no p^k to underflow, and rounding grows only with the distance from the mode.
 * The walk stops where the probabilities become negligible.
 */
function binomialDistribution(n: number, p: number): Distribution {
	if (p === 0) return { start: 0, probabilities: Float64Array.of(1) };
	if (p === 1) return { start: n, probabilities: Float64Array.of(1) };
	const odds = p / (1 - p);
	const mode = Math.min(n, Math.floor((n + 1) * p));
	const relative = new Float64Array(n + 1);
	relative[mode] = 1;
	let last = mode;
	while (last < n && relative[last] >= NEGLIGIBLE) {
		relative[last + 1] = (relative[last] * (n - last) * odds) / (last + 1);
		last++;
	}
	let first = mode;
	while (first > 0 && relative[first] >= NEGLIGIBLE) {
		relative[first - 1] = (relative[first] * first) / ((n - first + 1) * odds);
		first--;
	}
	const probabilities = relative.slice(first, last + 1);
	const total = probabilities.reduce((sum, value) => sum + value, 0);
	for (let i = 0; i < probabilities.length; i++) probabilities[i] /= total;
	return trim({ start: first, probabilities });
}

/** The distribution of the sum of two independent counts. */
function convolve(a: Distribution, b: Distribution): Distribution {
	const x = a.probabilities;
	const y = b.probabilities;
	const sum = new Float64Array(x.length + y.length - 1);
	for (let i = 0; i < x.length; i++) {
		const xi = x[i];
		for (let j = 0; j < y.length; j++) sum[i + j] += xi * y[j];
	}
	return trim({ start: a.start + b.start, probabilities: sum });
}

function trim({ start, probabilities }: Distribution): Distribution {
	let first = 0;
	let last = probabilities.length - 1;
	while (first < last && probabilities[first] < NEGLIGIBLE) first++;
	while (last > first && probabilities[last] < NEGLIGIBLE) last--;
	return { start: start + first, probabilities: probabilities.slice(first, last + 1) };
}

function checkGroup({ trials, p }: TrialGroup): void {
	if (!Number.isInteger(trials) || trials < 0) {
		throw new RangeError(`trials must be a whole number of at least 0, got ${trials}`);
	}
	if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
}

/**
 * Krippendorff's alpha, built from the coincidence matrix as in Krippendorff (2011),
 * "Computing Krippendorff's Alpha-Reliability". Works on value-frequency tallies rather than
 * on individual values, so cost grows with the number of units, not with values squared.
 */

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';
export type UnitId = string | number;
export type CoderId = string | number;

export interface Rating {
	unit: UnitId;
	coder: CoderId;
	value: number;
}

export interface LeaveOneOutAlpha {
	overall: number | null;
	/** Alpha of the data with that coder's ratings removed. */
	byCoder: Map<CoderId, number | null>;
}

/**
 * Ordered pairs of values from different coders within a unit, bucketed by how many values the
 * unit holds. Counts stay integers so a unit can be taken out again exactly (leave-one-coder-out
 * subtracts and re-adds units); the 1/(m - 1) weight is applied only when alpha is computed.
 */
interface PairTally {
	index: Map<number, number>;
	values: number[];
	/** bySize.get(m)[c][k]: pair count for value indices c, k in units holding m values. */
	bySize: Map<number, number[][]>;
}

/** Alpha for a dense matrix: units[u][c] is coder c's value for unit u, null when missing. */
export function krippendorffAlpha(
	units: readonly (readonly (number | null | undefined)[])[],
	metric: AlphaMetric
): number | null {
	return krippendorffAlphaFromUnits(presentValues(units), metric);
}

/** Alpha for sparse data: each unit is just the list of values that are present. */
export function krippendorffAlphaFromUnits(
	units: Iterable<readonly number[]>,
	metric: AlphaMetric
): number | null {
	const tally = createTally();
	for (const values of units) addUnit(tally, values, 1);
	return computeAlpha(tally, metric);
}

/** Alpha for rating records; each (unit, coder) pair may appear only once. */
export function alphaFromRatings(ratings: Iterable<Rating>, metric: AlphaMetric): number | null {
	return krippendorffAlphaFromUnits(unitValues(groupByUnit(ratings)), metric);
}

/**
 * Overall alpha plus, for every coder, the alpha with that coder left out: a coder whose removal
 * raises alpha a lot is worth a look.
 */
export function leaveOneOutAlpha(ratings: Iterable<Rating>, metric: AlphaMetric): LeaveOneOutAlpha {
	const report = agreementReport(ratings, [metric], { leaveOneOut: true });
	return { overall: report.alpha.get(metric) ?? null, byCoder: report.withoutCoder };
}

/**
 * Each coder's variant is derived from the overall tally by swapping only the units that coder
 * rated, so the total work stays linear in the ratings.
 */
function leaveEachOut(
	units: Map<UnitId, Map<CoderId, number>>,
	full: PairTally,
	metric: AlphaMetric,
	overall: number | null
): Map<CoderId, number | null> {
	const coders = new Set<CoderId>();
	const changed = new Map<CoderId, PairTally>();
	for (const byCoder of units.values()) {
		const values = [...byCoder.values()];
		for (const coder of byCoder.keys()) {
			coders.add(coder);
			// Dropping the only value of a unit leaves the pairable data unchanged.
			if (values.length < 2) continue;
			let tally = changed.get(coder);
			if (!tally) {
				tally = cloneTally(full);
				changed.set(coder, tally);
			}
			addUnit(tally, values, -1);
			addUnit(tally, valuesWithout(byCoder, coder), 1);
		}
	}
	const byCoder = new Map<CoderId, number | null>();
	for (const coder of coders) {
		const tally = changed.get(coder);
		byCoder.set(coder, tally ? computeAlpha(tally, metric) : overall);
	}
	return byCoder;
}

export interface AgreementReport {
	alpha: Map<AlphaMetric, number | null>;
	/** Under the first metric; empty unless asked for. */
	withoutCoder: Map<CoderId, number | null>;
}

/**
 * Alpha under several metrics, and optionally leave-one-coder-out under the first, from one
 * grouping and one coincidence tally: on a large batch, grouping the ratings by unit costs more
 * than all the arithmetic, so it is done once.
 */
export function agreementReport(
	ratings: Iterable<Rating>,
	metrics: readonly AlphaMetric[],
	options: { leaveOneOut?: boolean } = {}
): AgreementReport {
	const units = groupByUnit(ratings);
	const full = createTally();
	for (const values of unitValues(units)) addUnit(full, values, 1);
	const alpha = new Map(metrics.map((metric) => [metric, computeAlpha(full, metric)] as const));
	const withoutCoder = options.leaveOneOut
		? leaveEachOut(units, full, metrics[0], alpha.get(metrics[0]) ?? null)
		: new Map<CoderId, number | null>();
	return { alpha, withoutCoder };
}

/**
 * Builds the same report unit by unit, for data too large to hold as rating records: the caller
 * streams units (say, from a query ordered by item) and nothing is grouped in memory.
 */
export function createAgreementAccumulator(
	metrics: readonly AlphaMetric[],
	options: { leaveOneOut?: boolean } = {}
) {
	const full = createTally();
	/** Per coder, how the tally changes without them: counts may go negative until merged. */
	const deltas = new Map<CoderId, PairTally>();
	return {
		/** One unit: the coders and their values, in the same order. */
		addUnit(coders: readonly CoderId[], values: readonly number[]) {
			addUnit(full, values, 1);
			if (!options.leaveOneOut || values.length < 2) return;
			coders.forEach((coder, i) => {
				let delta = deltas.get(coder);
				if (!delta) deltas.set(coder, (delta = createTally()));
				addUnit(delta, values, -1);
				addUnit(
					delta,
					values.filter((_, j) => j !== i),
					1
				);
			});
		},
		result(): AgreementReport {
			const alpha = new Map(metrics.map((metric) => [metric, computeAlpha(full, metric)] as const));
			const withoutCoder = new Map<CoderId, number | null>();
			for (const [coder, delta] of deltas) {
				withoutCoder.set(coder, computeAlpha(mergeTallies(full, delta), metrics[0]));
			}
			return { alpha, withoutCoder };
		}
	};
}

/**
 * One cell of a coincidence tally kept outside this module (the dashboard keeps its running
 * tallies in the database): `pairs` ordered pairs of values a and b, from different coders,
 * within units of `size` values. Pair counts are symmetric, so a ≤ b, and a cell with a < b
 * stands for both orders. Counts stay integers, so units can be added and taken out exactly.
 */
export interface PairCell {
	size: number;
	a: number;
	b: number;
	pairs: number;
}

/** The cells one unit adds (a ≤ b); none for a unit with fewer than two values. */
export function unitPairCells(values: readonly number[]): PairCell[] {
	const cells: PairCell[] = [];
	forEachPairCell(values, (size, a, b, pairs) => cells.push({ size, a, b, pairs }));
	return cells;
}

/**
 * The same, one call per cell in order of a then b, for hot paths that keep no objects;
 * `without`: the index of a value to leave out (the unit without one coder), or -1.
 */
export function forEachPairCell(
	values: readonly number[],
	visit: (size: number, a: number, b: number, pairs: number) => void,
	without = -1
): void {
	const sorted = values.filter((_, i) => i !== without).sort((x, y) => x - y);
	const size = sorted.length;
	if (size < 2) return;
	// Runs of equal values: [start, end) of one, then of each later one.
	for (let i = 0; i < size;) {
		let end = i + 1;
		while (end < size && sorted[end] === sorted[i]) end++;
		const na = end - i;
		if (na > 1) visit(size, sorted[i], sorted[i], na * (na - 1));
		for (let j = end; j < size;) {
			let next = j + 1;
			while (next < size && sorted[next] === sorted[j]) next++;
			visit(size, sorted[i], sorted[j], na * (next - j));
			j = next;
		}
		i = end;
	}
}

/** Alpha from pair cells summed over units (cells naming the same size and values add up). */
export function alphaFromPairCells(cells: Iterable<PairCell>, metric: AlphaMetric): number | null {
	const tally = createTally();
	for (const { size, a, b, pairs } of cells) {
		let bySize = tally.bySize.get(size);
		if (!bySize) tally.bySize.set(size, (bySize = []));
		const ia = indexValue(tally, a);
		const ib = indexValue(tally, b);
		const rowA = (bySize[ia] ??= []);
		rowA[ib] = (rowA[ib] ?? 0) + pairs;
		if (ia !== ib) {
			const rowB = (bySize[ib] ??= []);
			rowB[ia] = (rowB[ia] ?? 0) + pairs;
		}
	}
	return computeAlpha(tally, metric);
}

/** A new tally holding both counts; the two may index their values differently. */
function mergeTallies(base: PairTally, delta: PairTally): PairTally {
	const merged = cloneTally(base);
	for (const [size, pairs] of delta.bySize) {
		let target = merged.bySize.get(size);
		if (!target) merged.bySize.set(size, (target = []));
		pairs.forEach((row, c) => {
			const mc = indexValue(merged, delta.values[c]);
			row.forEach((n, v) => {
				const mv = indexValue(merged, delta.values[v]);
				const targetRow = (target[mc] ??= []);
				targetRow[mv] = (targetRow[mv] ?? 0) + n;
			});
		});
	}
	return merged;
}

function* presentValues(
	units: readonly (readonly (number | null | undefined)[])[]
): Generator<number[]> {
	for (const unit of units) {
		const values: number[] = [];
		for (const value of unit) if (value !== null && value !== undefined) values.push(value);
		yield values;
	}
}

function groupByUnit(ratings: Iterable<Rating>): Map<UnitId, Map<CoderId, number>> {
	const units = new Map<UnitId, Map<CoderId, number>>();
	for (const { unit, coder, value } of ratings) {
		let byCoder = units.get(unit);
		if (!byCoder) {
			byCoder = new Map();
			units.set(unit, byCoder);
		}
		// A repeat would count one coder twice as if two coders had agreed.
		if (byCoder.has(coder)) {
			throw new RangeError(`Coder ${String(coder)} rated unit ${String(unit)} more than once`);
		}
		byCoder.set(coder, value);
	}
	return units;
}

function* unitValues(units: Map<UnitId, Map<CoderId, number>>): Generator<number[]> {
	for (const byCoder of units.values()) yield [...byCoder.values()];
}

function valuesWithout(byCoder: Map<CoderId, number>, left: CoderId): number[] {
	const values: number[] = [];
	for (const [coder, value] of byCoder) if (coder !== left) values.push(value);
	return values;
}

function createTally(): PairTally {
	return { index: new Map(), values: [], bySize: new Map() };
}

function cloneTally(tally: PairTally): PairTally {
	const bySize = new Map<number, number[][]>();
	for (const [size, pairs] of tally.bySize)
		bySize.set(
			size,
			pairs.map((row) => row.slice())
		);
	return { index: new Map(tally.index), values: tally.values.slice(), bySize };
}

function indexValue(tally: PairTally, value: number): number {
	let index = tally.index.get(value);
	if (index === undefined) {
		if (!Number.isFinite(value)) throw new RangeError(`Rating value ${value} is not a number`);
		index = tally.values.length;
		tally.index.set(value, index);
		tally.values.push(value);
	}
	return index;
}

/** Adds (sign 1) or removes (sign -1) one unit's ordered value pairs. */
function addUnit(tally: PairTally, values: readonly number[], sign: 1 | -1): void {
	const size = values.length;
	if (size < 2) return;
	const ids: number[] = [];
	const counts: number[] = [];
	for (const value of values) {
		const id = indexValue(tally, value);
		const at = ids.indexOf(id);
		if (at === -1) {
			ids.push(id);
			counts.push(1);
		} else {
			counts[at] += 1;
		}
	}
	let pairs = tally.bySize.get(size);
	if (!pairs) {
		pairs = [];
		tally.bySize.set(size, pairs);
	}
	for (let a = 0; a < ids.length; a++) {
		const row = (pairs[ids[a]] ??= []);
		for (let b = 0; b < ids.length; b++) {
			// A value never pairs with itself, only with the other coders' values.
			const n = a === b ? counts[a] * (counts[a] - 1) : counts[a] * counts[b];
			if (n !== 0) row[ids[b]] = (row[ids[b]] ?? 0) + sign * n;
		}
	}
}

/**
 * The coincidence matrix, indexed by value in ascending order, summed over unit sizes in
 * ascending order: the floating-point result then depends only on the pair counts, not on the
 * order in which units arrived, so running tallies and a full recount give the same bits.
 */
function buildCoincidences(tally: PairTally, rank: Int32Array): Float64Array {
	const k = tally.values.length;
	const o = new Float64Array(k * k);
	for (const size of [...tally.bySize.keys()].sort((a, b) => a - b)) {
		const weight = 1 / (size - 1);
		tally.bySize
			.get(size)!
			.forEach((row, c) => row.forEach((n, v) => (o[rank[c] * k + rank[v]] += n * weight)));
	}
	return o;
}

function computeAlpha(tally: PairTally, metric: AlphaMetric): number | null {
	const values = tally.values.slice().sort((a, b) => a - b);
	const rank = Int32Array.from(tally.values, (value) => values.indexOf(value));
	return alphaFromCoincidences(values, buildCoincidences(tally, rank), metric);
}

/**
 * Alpha from a coincidence matrix: `o[c * k + v]` for value indices c, v into `values` (k of
 * them, in any order). The bootstrap builds such matrices itself, one per resample.
 */
export function alphaFromCoincidences(
	values: readonly number[],
	o: Float64Array,
	metric: AlphaMetric
): number | null {
	const k = values.length;
	const marginals = new Float64Array(k);
	for (let c = 0; c < k; c++) for (let v = 0; v < k; v++) marginals[c] += o[c * k + v];
	const n = marginals.reduce((sum, m) => sum + m, 0);
	if (n < 2) return null;

	const delta = buildDeltas(values, marginals, metric);
	let observed = 0;
	let expected = 0;
	for (let c = 0; c < k; c++) {
		for (let v = 0; v < k; v++) {
			observed += o[c * k + v] * delta[c * k + v];
			expected += marginals[c] * marginals[v] * delta[c * k + v];
		}
	}
	// With no variation at all there is nothing to agree or disagree about.
	if (expected === 0) return null;
	return 1 - ((n - 1) * observed) / expected;
}

/** Squared difference function delta^2 for every pair of value indices. */
function buildDeltas(
	values: readonly number[],
	marginals: Float64Array,
	metric: AlphaMetric
): Float64Array {
	const k = values.length;
	const delta = new Float64Array(k * k);
	if (metric === 'ordinal') return buildOrdinalDeltas(values, marginals);
	if (metric === 'ratio' && values.some((value) => value < 0)) {
		throw new RangeError('The ratio metric needs non-negative values');
	}
	for (let c = 0; c < k; c++) {
		for (let v = 0; v < k; v++) delta[c * k + v] = metricDelta(values[c], values[v], metric);
	}
	return delta;
}

function metricDelta(a: number, b: number, metric: Exclude<AlphaMetric, 'ordinal'>): number {
	if (metric === 'nominal') return a === b ? 0 : 1;
	if (metric === 'interval') return (a - b) ** 2;
	return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
}

/**
 * Krippendorff (2011): delta_ck = (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2, so the distance between
 * two ranks depends on how many values lie between them, not on their numeric labels.
 */
function buildOrdinalDeltas(values: readonly number[], marginals: Float64Array): Float64Array {
	const k = values.length;
	const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
	const position = new Int32Array(k);
	order.forEach((id, p) => (position[id] = p));
	// cumulative[p] = marginal total of the values ranked before position p.
	const cumulative = new Float64Array(k + 1);
	order.forEach((id, p) => (cumulative[p + 1] = cumulative[p] + marginals[id]));

	const delta = new Float64Array(k * k);
	for (let c = 0; c < k; c++) {
		for (let v = 0; v < k; v++) {
			const low = Math.min(position[c], position[v]);
			const high = Math.max(position[c], position[v]);
			const between = cumulative[high + 1] - cumulative[low];
			delta[c * k + v] = (between - (marginals[c] + marginals[v]) / 2) ** 2;
		}
	}
	return delta;
}

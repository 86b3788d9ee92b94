/**
 * Bradley-Terry strengths from pairwise outcomes, fitted with Hunter's (2004) MM algorithm:
 * P(i beats j) = p_i / (p_i + p_j), reported as log p_i centred on 0.
 */

import { mulberry32 } from '$lib/prng';
import { quantile } from './quantile';

export interface Comparison {
	winner: string;
	loser: string;
	/** How much the outcome counts; 1 when omitted. */
	weight?: number;
}

export interface BradleyTerryOptions {
	/**
	 * Pseudo-games per player against a virtual opponent of strength 1: `prior` wins and `prior`
	 * losses. Keeps undefeated and winless players finite and pulls thinly compared players
	 * towards the average. 0 gives the plain maximum-likelihood fit, which only exists when every
	 * player has both won and lost within a connected comparison graph. Default 1.
	 */
	prior?: number;
	maxIterations?: number;
	/** Stop once no log-strength moves by more than this in one iteration. */
	tolerance?: number;
}

export interface BradleyTerryFit {
	/** Log-strength per player, centred so the mean is 0 (geometric mean strength 1). */
	strengths: Map<string, number>;
	iterations: number;
	converged: boolean;
}

export interface BootstrapOptions extends BradleyTerryOptions {
	/** Number of resamples; default 1000. */
	samples?: number;
	/** PRNG seed; the same seed always gives the same intervals. Default 1. */
	seed?: number;
	/** Confidence level of the percentile interval; default 0.95. */
	level?: number;
}

export interface StrengthInterval {
	/** Log-strength fitted on all comparisons. */
	strength: number;
	/** Percentile bounds; null when the player was absent from every resample. */
	lower: number | null;
	upper: number | null;
	/** How many resamples included the player. */
	samples: number;
}

export interface WinRecord {
	wins: number;
	losses: number;
	games: number;
	rate: number;
}

interface IndexedComparisons {
	players: string[];
	winner: Int32Array;
	loser: Int32Array;
	weight: Float64Array;
}

interface Games {
	wins: Float64Array;
	played: Float64Array;
	/** Total games per unordered pair, a < b. */
	pairs: { a: number; b: number; games: number }[];
}

interface MMResult {
	logStrengths: Float64Array;
	iterations: number;
	converged: boolean;
}

const DEFAULTS = { prior: 1, maxIterations: 10_000, tolerance: 1e-10 };

export function fitBradleyTerry(
	comparisons: readonly Comparison[],
	options: BradleyTerryOptions = {}
): BradleyTerryFit {
	const data = indexComparisons(comparisons);
	const games = tallyGames(data, allIndices(comparisons.length));
	const result = runMM(games, resolveOptions(options));
	const strengths = new Map<string, number>();
	data.players.forEach((player, i) => strengths.set(player, result.logStrengths[i]));
	return { strengths, iterations: result.iterations, converged: result.converged };
}

/**
 * Percentile bootstrap intervals for the log-strengths: comparisons are resampled with
 * replacement (each keeping its weight) and refitted. Every resample is centred over the players
 * it contains, so a player's interval comes only from resamples that include them.
 */
export function bootstrapBradleyTerry(
	comparisons: readonly Comparison[],
	options: BootstrapOptions = {}
): Map<string, StrengthInterval> {
	const { samples = 1000, seed = 1, level = 0.95 } = options;
	if (!Number.isInteger(samples) || samples < 1) {
		throw new RangeError('samples must be a positive integer');
	}
	if (!(level > 0 && level < 1)) throw new RangeError('level must be between 0 and 1');
	const settings = resolveOptions(options);
	const data = indexComparisons(comparisons);
	const full = runMM(tallyGames(data, allIndices(comparisons.length)), settings);

	const random = mulberry32(seed);
	const draws = data.players.map((): number[] => []);
	const picks = new Int32Array(comparisons.length);
	for (let s = 0; s < samples; s++) {
		for (let i = 0; i < picks.length; i++) picks[i] = Math.floor(random() * picks.length);
		const games = tallyGames(data, picks);
		const { logStrengths } = runMM(games, settings);
		games.played.forEach((played, i) => {
			if (played > 0) draws[i].push(logStrengths[i]);
		});
	}

	const tail = (1 - level) / 2;
	const intervals = new Map<string, StrengthInterval>();
	data.players.forEach((player, i) => {
		const sorted = draws[i].sort((a, b) => a - b);
		intervals.set(player, {
			strength: full.logStrengths[i],
			lower: quantile(sorted, tail),
			upper: quantile(sorted, 1 - tail),
			samples: sorted.length
		});
	});
	return intervals;
}

/** Weighted wins, losses and win rate per player, for a quick look beside the model. */
export function winRates(comparisons: readonly Comparison[]): Map<string, WinRecord> {
	const records = new Map<string, WinRecord>();
	const recordFor = (player: string): WinRecord => {
		let record = records.get(player);
		if (!record) {
			record = { wins: 0, losses: 0, games: 0, rate: 0 };
			records.set(player, record);
		}
		return record;
	};
	for (const comparison of comparisons) {
		const weight = checkedWeight(comparison);
		const winner = recordFor(comparison.winner);
		const loser = recordFor(comparison.loser);
		winner.wins += weight;
		winner.games += weight;
		loser.losses += weight;
		loser.games += weight;
	}
	for (const record of records.values()) {
		record.rate = record.games > 0 ? record.wins / record.games : 0;
	}
	return records;
}

function resolveOptions(options: BradleyTerryOptions): Required<BradleyTerryOptions> {
	const resolved = {
		prior: options.prior ?? DEFAULTS.prior,
		maxIterations: options.maxIterations ?? DEFAULTS.maxIterations,
		tolerance: options.tolerance ?? DEFAULTS.tolerance
	};
	if (!(resolved.prior >= 0)) throw new RangeError('prior must be non-negative');
	return resolved;
}

function checkedWeight(comparison: Comparison): number {
	const weight = comparison.weight ?? 1;
	if (!(Number.isFinite(weight) && weight >= 0)) {
		throw new RangeError(`Comparison weight must be a non-negative number, got ${weight}`);
	}
	if (comparison.winner === comparison.loser) {
		throw new RangeError(`A player cannot beat themselves: ${comparison.winner}`);
	}
	return weight;
}

function indexComparisons(comparisons: readonly Comparison[]): IndexedComparisons {
	const index = new Map<string, number>();
	const idFor = (player: string): number => {
		let id = index.get(player);
		if (id === undefined) {
			id = index.size;
			index.set(player, id);
		}
		return id;
	};
	const winner = new Int32Array(comparisons.length);
	const loser = new Int32Array(comparisons.length);
	const weight = new Float64Array(comparisons.length);
	comparisons.forEach((comparison, i) => {
		weight[i] = checkedWeight(comparison);
		winner[i] = idFor(comparison.winner);
		loser[i] = idFor(comparison.loser);
	});
	return { players: [...index.keys()], winner, loser, weight };
}

function allIndices(length: number): Int32Array {
	return Int32Array.from({ length }, (_, i) => i);
}

function tallyGames(data: IndexedComparisons, picks: ArrayLike<number>): Games {
	const count = data.players.length;
	const wins = new Float64Array(count);
	const played = new Float64Array(count);
	const byPair = new Map<number, number>();
	for (let p = 0; p < picks.length; p++) {
		const c = picks[p];
		const weight = data.weight[c];
		if (weight === 0) continue;
		const w = data.winner[c];
		const l = data.loser[c];
		wins[w] += weight;
		played[w] += weight;
		played[l] += weight;
		const key = Math.min(w, l) * count + Math.max(w, l);
		byPair.set(key, (byPair.get(key) ?? 0) + weight);
	}
	const pairs = [...byPair].map(([key, games]) => ({
		a: Math.floor(key / count),
		b: key % count,
		games
	}));
	return { wins, played, pairs };
}

/**
 * Hunter's MM update p_i <- W_i / sum_j n_ij / (p_i + p_j), with the prior entering as extra
 * games against a fixed opponent of strength 1. That opponent pins the scale; without a prior
 * the scale is free, so strengths are rescaled to geometric mean 1 each round instead.
 */
function runMM(games: Games, options: Required<BradleyTerryOptions>): MMResult {
	const { prior, maxIterations, tolerance } = options;
	const count = games.wins.length;
	let strengths = new Float64Array(count).fill(1);
	let iterations = 0;
	let converged = false;
	while (iterations < maxIterations && !converged) {
		iterations++;
		const denominators = new Float64Array(count);
		for (const { a, b, games: n } of games.pairs) {
			const total = strengths[a] + strengths[b];
			if (total === 0) continue;
			denominators[a] += n / total;
			denominators[b] += n / total;
		}
		const next = new Float64Array(count);
		for (let i = 0; i < count; i++) {
			const denominator = denominators[i] + (2 * prior) / (strengths[i] + 1);
			const present = games.played[i] > 0;
			next[i] = present && denominator > 0 ? (games.wins[i] + prior) / denominator : strengths[i];
		}
		if (prior === 0) rescaleToUnitGeometricMean(next, games.played);
		else rescaleForPrior(next, games.played);
		converged = largestLogChange(strengths, next) <= tolerance;
		strengths = next;
	}
	return { logStrengths: centredLogs(strengths, games.played), iterations, converged };
}

/**
 * With plenty of real games the prior pins the common scale only weakly, and plain MM then
 * crawls along that direction for thousands of rounds. Only the prior games depend on a common
 * factor c, so the best c is solved exactly after each round (sum_i tanh((log c + log p_i) / 2)
 * = 0): a coordinate-ascent step, so the likelihood still never decreases.
 */
function rescaleForPrior(strengths: Float64Array, played: Float64Array): void {
	const logs: number[] = [];
	strengths.forEach((value, i) => {
		if (played[i] > 0) logs.push(Math.log(value));
	});
	if (logs.length === 0) return;
	const shift = solveScaleShift(logs);
	strengths.forEach((value, i) => {
		if (played[i] > 0) strengths[i] = value * Math.exp(shift);
	});
}

/** Root of g(t) = sum tanh((t + x_i) / 2), increasing in t, by Newton kept inside a bracket. */
function solveScaleShift(logs: readonly number[]): number {
	let low = -Math.max(...logs);
	let high = -Math.min(...logs);
	let t = -logs.reduce((sum, x) => sum + x, 0) / logs.length;
	for (let step = 0; step < 100; step++) {
		let g = 0;
		let slope = 0;
		for (const x of logs) {
			const h = Math.tanh((t + x) / 2);
			g += h;
			slope += (1 - h * h) / 2;
		}
		if (g > 0) high = t;
		else low = t;
		const newton = slope > 0 ? t - g / slope : Number.NaN;
		const next = newton > low && newton < high ? newton : (low + high) / 2;
		if (Math.abs(next - t) < 1e-14) return next;
		t = next;
	}
	return t;
}

function rescaleToUnitGeometricMean(strengths: Float64Array, played: Float64Array): void {
	const logs = centredLogs(strengths, played);
	strengths.forEach((value, i) => {
		if (played[i] > 0 && value > 0) strengths[i] = Math.exp(logs[i]);
	});
}

/** Log-strengths minus their mean over players that played; a winless player stays -Infinity. */
function centredLogs(strengths: Float64Array, played: Float64Array): Float64Array {
	const logs = strengths.map((value) => Math.log(value));
	let sum = 0;
	let finite = 0;
	logs.forEach((value, i) => {
		if (played[i] > 0 && Number.isFinite(value)) {
			sum += value;
			finite++;
		}
	});
	const mean = finite > 0 ? sum / finite : 0;
	return logs.map((value) => value - mean);
}

function largestLogChange(before: Float64Array, after: Float64Array): number {
	let largest = 0;
	for (let i = 0; i < before.length; i++) {
		if (before[i] === after[i]) continue;
		largest = Math.max(largest, Math.abs(Math.log(after[i]) - Math.log(before[i])));
	}
	return largest;
}

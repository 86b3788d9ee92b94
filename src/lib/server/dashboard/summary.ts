import type { AppDB } from '../db';
import {
	DEFAULT_BRADLEY_TERRY_PRIOR,
	READING_MINIMUMS,
	readAlpha,
	readConcordance,
	readModelPreference,
	readReferenceRate,
	readTau,
	STATUS_ORDER,
	STATUS_WORDS,
	type Reading
} from '../stats';
import { alphaCounts } from './alpha-counts';
import { cachedForBatch } from './batch-cache';
import type { BatchDashboard } from './index';

/**
 * The readings the dashboard leads with: every figure beside its n, and "too few to judge"
 * below the minimums of stats/readings.ts. Built from the dashboard's figures plus the counts
 * they rest on, so nothing here reads the batch's items again.
 */

/** A reading as a table row shows it: the short word, the sentence, and a rank to sort on. */
type Status = Reading & { word: string; rank: number };

function withWord(reading: Reading): Status {
	return { ...reading, word: STATUS_WORDS[reading.status], rank: STATUS_ORDER[reading.status] };
}

/** Worst first: the weakest judged rows, then those too few to judge; by key within a rank. */
function worstFirst<T extends { key: string; value: number | null; status: Status }>(rows: T[]) {
	return rows.sort(
		(a, b) =>
			a.status.rank - b.status.rank ||
			(a.value ?? 0) - (b.value ?? 0) ||
			(a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
	);
}

export async function dashboardReadings(db: AppDB, batchId: number, dashboard: BatchDashboard) {
	const counts = await cachedForBatch(db, batchId, 'alpha-counts', async () =>
		alphaCounts(db, batchId)
	);
	const { agreement, humanVsAi, reference, progress } = dashboard;
	const w = agreement.concordance;
	const none = { units: 0, values: 0 };

	const alphaByTrait = worstFirst(
		agreement.byTrait.map((t) => {
			const n = counts.byTrait.get(t.traitId) ?? none;
			return {
				key: t.key,
				ordinal: t.ordinal,
				interval: t.interval,
				...n,
				value: t.ordinal,
				status: withWord(readAlpha(t.ordinal, n))
			};
		})
	);

	return {
		summary: {
			progress: { done: progress.done, wanted: progress.wanted, items: progress.items },
			alpha: {
				...counts.overall,
				ordinal: withWord(readAlpha(agreement.overall.ordinal, counts.overall)),
				interval: withWord(readAlpha(agreement.overall.interval, counts.overall))
			},
			concordance: withWord(readConcordance(w.mean, w.items)),
			tau: withWord(readTau(humanVsAi.overall.mean, humanVsAi.overall.items)),
			reference: withWord(readReferenceRate(reference.rate, reference))
		},
		alphaByTrait,
		concordanceByTrait: worstFirst(
			w.byTrait.map((t) => ({
				...t,
				value: t.mean,
				status: withWord(readConcordance(t.mean, t.items))
			}))
		),
		tauByTrait: worstFirst(
			humanVsAi.byTrait.map((t) => ({
				...t,
				value: t.mean,
				status: withWord(readTau(t.mean, t.items))
			}))
		),
		models: dashboard.byModel.map((t) => ({ key: t.key, ...readModelPreference(t) })),
		minimums: { ...READING_MINIMUMS, bradleyTerryPrior: DEFAULT_BRADLEY_TERRY_PRIOR }
	};
}

export type DashboardReadings = Awaited<ReturnType<typeof dashboardReadings>>;

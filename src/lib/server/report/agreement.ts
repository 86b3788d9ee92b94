import {
	type AlphaIntervals,
	type BatchDashboard,
	type DashboardReadings,
	type LeaveOneOutRow
} from '../dashboard';
import { readAlpha, readReferenceRate } from '../stats';
import { byKey, intervalOf, readingOf } from './reading';
import type { ReportAlpha, ReportConcordance, ReportReference } from './types';

/**
 * The dashboard's agreement figures, as the report gives them: alpha (ordinal and interval)
 * overall with its bootstrap interval, per trait and leave-one-out, and Kendall's W; and the
 * reference rate. Every value and reading comes from what the dashboard page loads.
 */

export function reportAlpha(
	dashboard: BatchDashboard,
	readings: DashboardReadings,
	intervals: Pick<AlphaIntervals, 'ordinal' | 'interval' | 'items' | 'resamples'>,
	leaveOneOut: LeaveOneOutRow[]
): ReportAlpha {
	const { summary, minimums } = readings;
	const { overall } = dashboard.agreement;
	return {
		n: { units: summary.alpha.units, values: summary.alpha.values },
		minimum: { units: minimums.alphaUnits, values: minimums.alphaValues },
		ordinal: {
			value: overall.ordinal,
			interval: intervalOf(intervals.ordinal),
			...readingOf(summary.alpha.ordinal.status, summary.alpha.ordinal.text)
		},
		interval: {
			value: overall.interval,
			interval: intervalOf(intervals.interval),
			...readingOf(summary.alpha.interval.status, summary.alpha.interval.text)
		},
		bootstrap: { items: intervals.items, resamples: intervals.resamples },
		by_trait: byKey(readings.alphaByTrait).map((t) => {
			const n = { units: t.units, values: t.values };
			// The page reads the ordinal alpha per trait; the interval one is read the same way.
			const interval = readAlpha(t.interval, n);
			return {
				key: t.key,
				n,
				ordinal: { value: t.ordinal, ...readingOf(t.status.status, t.status.text) },
				interval: { value: t.interval, ...readingOf(interval.status, interval.text) }
			};
		}),
		leave_one_out: {
			metric: 'ordinal',
			minimum: {
				shared: minimums.leaveOneOutUnits,
				others_units: minimums.leaveOneOutUnits,
				rise: minimums.leaveOneOutRise
			},
			reviewers: leaveOneOut.map((r) => ({
				reviewer: r.reviewer,
				value: r.alpha,
				change: r.change,
				n: { shared: r.shared, others_units: r.othersUnits },
				...readingOf(r.status.status, r.status.text)
			}))
		}
	};
}

export function reportConcordance(
	dashboard: BatchDashboard,
	readings: DashboardReadings
): ReportConcordance {
	const w = dashboard.agreement.concordance;
	const { concordance } = readings.summary;
	return {
		value: w.mean,
		n: { items: w.items },
		minimum: { items: readings.minimums.concordanceItems },
		...readingOf(concordance.status, concordance.text),
		by_trait: byKey(readings.concordanceByTrait).map((t) => ({
			key: t.key,
			value: t.mean,
			n: { items: t.items },
			...readingOf(t.status.status, t.status.text)
		}))
	};
}

export function reportReference(
	dashboard: BatchDashboard,
	readings: DashboardReadings
): ReportReference {
	const { reference } = dashboard;
	const tally = (t: typeof reference | (typeof reference.byTrait)[number]) => ({
		value: t.rate,
		n: { pairs: t.pairs, items: t.items },
		above: t.above,
		tied: t.tied,
		below: t.below
	});
	const { minimums } = readings;
	return {
		...tally(reference),
		...readingOf(readings.summary.reference.status, readings.summary.reference.text),
		minimum: { pairs: minimums.referencePairs, items: minimums.referenceItems },
		by_trait: reference.byTrait.map((t) => {
			// The page shows GOOD above BAD per trait with its n; read as the batch's is.
			const read = readReferenceRate(t.rate, t);
			return { key: t.key, ...tally(t), ...readingOf(read.status, read.text) };
		})
	};
}

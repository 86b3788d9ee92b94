import type { BatchJudging } from '../judging';
import { describeTau } from '../stats';
import { byKey, intervalOf, readingOf } from './reading';
import type { BiasFigure, ReportJudgeTau, ReportPositionBias } from './types';

/**
 * The Judge and position page's figures, as the report gives them: the judge's τ-b against the
 * human consensus with its interval, and how often the first-shown response wins.
 */

type TauRow = Omit<BatchJudging['calibration']['byTrait'][number], 'key'>;

function tauFigure(row: TauRow) {
	return {
		value: row.mean,
		interval: intervalOf(row),
		n: { items: row.items },
		// The page puts only the overall τ in words; a trait's is read on the same scale.
		...readingOf(row.enough ? 'judged' : 'too-few', describeTau(row.mean))
	};
}

export function reportJudgeTau(judging: BatchJudging): ReportJudgeTau {
	const { overall, byTrait } = judging.calibration;
	return {
		items_with_judge: judging.itemsWithJudge,
		...tauFigure(overall),
		...readingOf(overall.enough ? 'judged' : 'too-few', overall.reading),
		minimum: { items: judging.minimums.tauItems },
		by_trait: byKey(byTrait).map((t) => ({ key: t.key, ...tauFigure(t) }))
	};
}

type BiasRow = BatchJudging['position']['reviewers'];

function biasFigure(row: BiasRow): BiasFigure {
	const judged = row.pValue !== null;
	return {
		value: row.rate,
		chance: row.chance,
		wins: row.wins,
		n: { trials: row.trials },
		p_value: row.pValue,
		verdict: row.verdict,
		tied_top: row.tiedTop,
		incomplete: row.incomplete,
		unknown_order: row.unknownOrder,
		...readingOf(judged ? 'judged' : 'too-few', row.reading)
	};
}

export function reportPositionBias(judging: BatchJudging): ReportPositionBias {
	const { position, minimums } = judging;
	return {
		minimum: { trials: minimums.positionTrials },
		reviewers: biasFigure(position.reviewers),
		by_reviewer: position.byReviewer.map(({ reviewer, ...row }) => ({
			reviewer,
			...biasFigure(row)
		})),
		judge: position.judge ? biasFigure(position.judge) : null
	};
}

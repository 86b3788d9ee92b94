/**
 * The report for scripts: the batch dashboard's, the Judge and position page's and the Compare
 * page's figures for chosen batches, as one JSON document (`npm run cli -- report`,
 * GET /api/v1/batches/:id/report). Nothing is computed here: every figure is taken from the
 * functions those pages load, so the report and the pages cannot disagree.
 */
import {
	batchAlphaIntervals,
	batchDashboard,
	batchGoldSummary,
	dashboardReadings,
	leaveOneOutReadings
} from '../dashboard';
import type { AppDB } from '../db';
import { getBatch } from '../batches';
import { DomainError } from '../errors';
import { batchJudging } from '../judging';
import { reportAlpha, reportConcordance, reportReference } from './agreement';
import { reportGold } from './gold';
import { reportJudgeTau, reportPositionBias } from './judging';
import { reportModels } from './models';
import { REPORT_VERSION, type BatchReport, type Report } from './types';

export { formatReport } from './text';
export { REPORT_VERSION, TOO_FEW, type BatchReport, type Report } from './types';

export type ReportOptions = {
	/** Usernames (what admins see), or the batch's pseudonyms (what leads see). */
	showNames: boolean;
	/** The clock, for tests; now unless given. */
	now?: Date;
};

/**
 * The report on the batches, in the order given. An id that names no batch is a 404 before
 * anything is computed.
 */
export async function buildReport(
	db: AppDB,
	batchIds: readonly number[],
	options: ReportOptions
): Promise<Report> {
	const ids = [...new Set(batchIds)];
	const found = ids.map((id) => {
		const row = getBatch(db, id);
		if (!row) throw new DomainError(`There is no batch with id ${id}.`, 'batch', 404);
		return row.batch;
	});
	const batches: BatchReport[] = [];
	for (const batch of found) batches.push(await reportBatch(db, batch, options));
	return {
		version: REPORT_VERSION,
		generated_at: (options.now ?? new Date()).toISOString(),
		reviewer_names: options.showNames,
		batches,
		models: await reportModels(db, ids)
	};
}

/** One batch's figures, loaded exactly as its dashboard and Judge and position pages load them. */
async function reportBatch(
	db: AppDB,
	batch: { id: number; name: string; status: string },
	{ showNames }: ReportOptions
): Promise<BatchReport> {
	const dashboard = await batchDashboard(db, batch.id, { showNames });
	const readings = await dashboardReadings(db, batch.id, dashboard);
	const intervals = await batchAlphaIntervals(db, batch.id);
	const leaveOneOut = await leaveOneOutReadings(db, batch.id, dashboard.agreement, { showNames });
	const judging = await batchJudging(db, batch.id, { showNames });
	return {
		id: batch.id,
		name: batch.name,
		status: batch.status,
		alpha: reportAlpha(dashboard, readings, intervals, leaveOneOut),
		concordance: reportConcordance(dashboard, readings),
		judge_tau: reportJudgeTau(judging),
		reference: reportReference(dashboard, readings),
		position_bias: reportPositionBias(judging),
		gold: reportGold(batchGoldSummary(db, batch.id, { showNames }))
	};
}

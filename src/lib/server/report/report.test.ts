import { beforeEach, describe, expect, it } from 'vitest';
import { makeCheckpointBatches } from '../../../../tests/support/checkpoint-batches';
import { createTestDb } from '../../../../tests/support/db';
import { buildJudgeBatch, REVERSED_EVERY_FIFTH } from '../../../../tests/support/judge-fixture';
import { compareCheckpoints } from '../compare';
import {
	batchAlphaIntervals,
	batchDashboard,
	batchGoldSummary,
	dashboardReadings,
	leaveOneOutReadings
} from '../dashboard';
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { batchJudging } from '../judging';
import { buildReport, formatReport, REPORT_VERSION, TOO_FEW } from '.';

let db: AppDB;
beforeEach(() => {
	db = createTestDb();
});

/** What the dashboard and the Judge and position pages load for the batch, as they load it. */
async function pageFigures(batchId: number, showNames: boolean) {
	const dashboard = await batchDashboard(db, batchId, { showNames });
	return {
		dashboard,
		readings: await dashboardReadings(db, batchId, dashboard),
		intervals: await batchAlphaIntervals(db, batchId),
		leaveOneOut: await leaveOneOutReadings(db, batchId, dashboard.agreement, { showNames }),
		judging: await batchJudging(db, batchId, { showNames })
	};
}

describe('the report of one batch', () => {
	it('gives the dashboard’s and the judge page’s figures, field by field', async () => {
		// Both reviewers keep the judge's order except on every fifth item, which they reverse:
		// they agree perfectly with each other (alpha 1, W 1), and tau is (32 − 8) / 40 = 0.6.
		const { batchId } = await buildJudgeBatch(db, {
			reviewers: [REVERSED_EVERY_FIFTH, REVERSED_EVERY_FIFTH]
		});
		const now = new Date('2026-01-02T03:04:05.000Z');
		const report = await buildReport(db, [batchId], { showNames: false, now });
		const page = await pageFigures(batchId, false);
		expect(report).toMatchObject({
			version: REPORT_VERSION,
			generated_at: '2026-01-02T03:04:05.000Z',
			reviewer_names: false
		});
		const [batch] = report.batches;
		expect(batch).toMatchObject({ id: batchId, status: 'open' });

		// Alpha: the dashboard's values, n, readings and bootstrap intervals.
		const { agreement } = page.dashboard;
		const { summary } = page.readings;
		expect(batch.alpha.ordinal.value).toBe(1);
		expect(batch.alpha.interval.value).toBe(1);
		expect(batch.alpha.ordinal.value).toBe(agreement.overall.ordinal);
		expect(batch.alpha.interval.value).toBe(agreement.overall.interval);
		expect(batch.alpha.n).toEqual({ units: summary.alpha.units, values: summary.alpha.values });
		expect(batch.alpha.n).toEqual({ units: 120, values: 240 });
		expect(batch.alpha.minimum).toEqual({ units: 10, values: 20 });
		expect(batch.alpha.ordinal.status).toBe(summary.alpha.ordinal.status);
		expect(batch.alpha.ordinal.reading).toBe(summary.alpha.ordinal.text);
		expect(batch.alpha.interval.reading).toBe(summary.alpha.interval.text);
		for (const metric of ['ordinal', 'interval'] as const) {
			expect(batch.alpha[metric].interval).toEqual({
				lower: page.intervals[metric].lower,
				upper: page.intervals[metric].upper,
				level: 0.95
			});
		}
		expect(batch.alpha.bootstrap).toEqual({
			items: page.intervals.items,
			resamples: page.intervals.resamples
		});
		expect(batch.alpha.by_trait).toHaveLength(page.readings.alphaByTrait.length);
		for (const row of page.readings.alphaByTrait) {
			const trait = batch.alpha.by_trait.find((t) => t.key === row.key)!;
			expect(trait.n).toEqual({ units: row.units, values: row.values });
			expect(trait.ordinal).toEqual({
				value: row.ordinal,
				status: row.status.status,
				reading: row.status.status === 'too-few' ? TOO_FEW : row.status.text
			});
			expect(trait.interval.value).toBe(row.interval);
		}
		expect(batch.alpha.leave_one_out.reviewers).toEqual(
			page.leaveOneOut.map((r) => ({
				reviewer: r.reviewer,
				value: r.alpha,
				change: r.change,
				n: { shared: r.shared, others_units: r.othersUnits },
				status: r.status.status,
				reading: r.status.status === 'too-few' ? TOO_FEW : r.status.text
			}))
		);
		// Two reviewers: without either, nobody is left to agree with, so leave-one-out is too few.
		expect(batch.alpha.leave_one_out.reviewers.map((r) => [r.reviewer, r.reading])).toEqual([
			['Reviewer 1', TOO_FEW],
			['Reviewer 2', TOO_FEW]
		]);

		// Kendall's W and the reference rate: the dashboard's.
		const w = agreement.concordance;
		expect(batch.concordance).toMatchObject({
			value: w.mean,
			n: { items: w.items },
			status: summary.concordance.status,
			reading: summary.concordance.text,
			minimum: { items: 10 }
		});
		expect(batch.concordance.value).toBeCloseTo(1, 12);
		expect(batch.concordance.n.items).toBe(40);
		const { reference } = page.dashboard;
		expect(batch.reference).toMatchObject({
			value: reference.rate,
			n: { pairs: reference.pairs, items: reference.items },
			status: 'too-few',
			reading: TOO_FEW,
			minimum: { pairs: 20, items: 10 }
		});

		// Judge tau and position bias: the Judge and position page's.
		const { calibration, position } = page.judging;
		expect(batch.judge_tau).toMatchObject({
			items_with_judge: page.judging.itemsWithJudge,
			value: calibration.overall.mean,
			interval: { lower: calibration.overall.lower, upper: calibration.overall.upper },
			n: { items: calibration.overall.items },
			status: 'judged',
			reading: calibration.overall.reading,
			minimum: { items: 10 }
		});
		expect(batch.judge_tau.value).toBeCloseTo(0.6, 12);
		expect(batch.judge_tau.interval.lower!).toBeLessThan(0.6);
		expect(batch.judge_tau.by_trait.map((t) => [t.key, t.value, t.n.items])).toEqual(
			calibration.byTrait.map((t) => [t.key, t.mean, t.items])
		);
		const bias = batch.position_bias;
		expect(bias.minimum).toEqual({ trials: page.judging.minimums.positionTrials });
		for (const [figure, row] of [
			[bias.reviewers, position.reviewers],
			[bias.judge!, position.judge!],
			...bias.by_reviewer.map((r, i) => [r, position.byReviewer[i]] as const)
		] as const) {
			const { value, chance, wins, n, p_value, verdict, tied_top, incomplete, reading } = figure;
			expect([value, chance, wins, n.trials, p_value, verdict, tied_top, incomplete]).toEqual([
				row.rate,
				row.chance,
				row.wins,
				row.trials,
				row.pValue,
				row.verdict,
				row.tiedTop,
				row.incomplete
			]);
			expect(reading).toBe(row.pValue === null ? TOO_FEW : row.reading);
		}
		expect(bias.by_reviewer.map((r) => r.reviewer)).toEqual(['Reviewer 1', 'Reviewer 2']);
		expect(bias.reviewers.n.trials).toBe(80);

		// No response names a model: trait by model is empty, not made up.
		expect(report.models).toMatchObject({ batch_ids: [batchId], traits: [] });
	});

	it('gives the dashboard’s gold accuracy, reviewer by reviewer, exactly', async () => {
		const { batchId, itemIds } = await buildJudgeBatch(db, {
			reviewers: [REVERSED_EVERY_FIFTH, REVERSED_EVERY_FIFTH]
		});
		// Items 0–9 are gold, best first as the file orders them. Each reviewer reverses items 0
		// and 5, so of the 30 pairs the expected orders decide, 24 are ordered the same way.
		const responses = db.$client.prepare(
			'SELECT id FROM responses WHERE item_id = ? ORDER BY position'
		);
		const mark = db.$client.prepare('UPDATE items SET gold_order = ? WHERE id = ?');
		for (const itemId of itemIds.slice(0, 10)) {
			const ids = (responses.all(itemId) as { id: number }[]).map((r) => [r.id]);
			mark.run(JSON.stringify(ids), itemId);
		}
		const report = await buildReport(db, [batchId], { showNames: false });
		const { gold } = report.batches[0];
		const page = batchGoldSummary(db, batchId, { showNames: false });
		expect(gold).toMatchObject({ rate: page.rate, gold_items: 10, minimum: { items: 3 } });
		expect(gold.by_reviewer).toHaveLength(2);
		gold.by_reviewer.forEach((row, i) => {
			const shown = page.reviewers[i];
			expect(row).toMatchObject({
				reviewer: shown.reviewer,
				value: 0.8,
				agreed: 24,
				n: { items: 10, pairs: 30 },
				status: 'ok',
				reading: 'ok'
			});
			expect(row.interval).toMatchObject({ lower: shown.lower, upper: shown.upper, level: 0.95 });
		});
	});

	it('says "too few to judge", with the minimum, where the pages do', async () => {
		const { batchId } = await buildJudgeBatch(db, { items: 9 });
		const [batch] = (await buildReport(db, [batchId], { showNames: false })).batches;
		expect(batch.judge_tau).toMatchObject({
			value: null,
			n: { items: 9 },
			status: 'too-few',
			reading: TOO_FEW,
			minimum: { items: 10 }
		});
		expect(batch.concordance).toMatchObject({ n: { items: 9 }, reading: TOO_FEW });
		expect(batch.position_bias.reviewers).toMatchObject({
			n: { trials: 18 },
			p_value: null,
			status: 'too-few',
			reading: TOO_FEW
		});
		const text = formatReport({ ...(await buildReport(db, [batchId], { showNames: false })) });
		expect(text).toMatch(/judge τ-b\s+—\s+9 items\s+too few to judge/);
	});

	it('leaves out reviews shown in an unknown order (imported), and says how many by n', async () => {
		const { batchId, reviewers } = await buildJudgeBatch(db, { items: 9 });
		db.$client
			.prepare(`UPDATE reviews SET shown_order = '[]' WHERE user_id = ?`)
			.run(reviewers[0].id);
		const report = await buildReport(db, [batchId], { showNames: false });
		const bias = report.batches[0].position_bias;
		expect(bias.reviewers).toMatchObject({ n: { trials: 9 }, unknown_order: 9 });
		expect(bias.by_reviewer.map((r) => r.unknown_order)).toEqual([0]);
		expect(formatReport(report)).toMatch(/first shown wins\s+\S+\s+9 reviews \(9 order unknown\)/);
	});

	it('names reviewers as the pages do: pseudonyms, or usernames for admins', async () => {
		const { batchId, reviewers } = await buildJudgeBatch(db, { items: 3 });
		const lead = JSON.stringify(await buildReport(db, [batchId], { showNames: false }));
		for (const r of reviewers) expect(lead).not.toContain(r.username);
		const admin = await buildReport(db, [batchId], { showNames: true });
		expect(admin.reviewer_names).toBe(true);
		expect(admin.batches[0].position_bias.by_reviewer.map((r) => r.reviewer)).toEqual(
			reviewers.map((r) => r.username)
		);
	});

	it('refuses a batch id that names no batch', async () => {
		const error = await buildReport(db, [999], { showNames: false }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DomainError);
		expect(error).toMatchObject({ status: 404, message: 'There is no batch with id 999.' });
	});
});

describe('the report of several batches', () => {
	it('gives each batch, and trait by model over all of them as the Compare page does', async () => {
		const { before, after } = await makeCheckpointBatches(db);
		const report = await buildReport(db, [after.id, before.id], { showNames: false });
		expect(report.batches.map((b) => b.name)).toEqual([after.name, before.name]);
		const compare = await compareCheckpoints(db, {
			batchIds: [after.id, before.id],
			models: [],
			a: null,
			b: null
		});
		expect(report.models.batch_ids).toEqual([after.id, before.id]);
		expect(report.models.settings).toEqual({ samples: 1000, seed: 1, prior: 1 });
		expect(report.models.minimum).toEqual({ items: 10, games: 30 });
		expect(report.models.traits.map((t) => t.key)).toEqual(['curiosity', 'humour', 'warmth']);
		for (const trait of compare.traits) {
			const reported = report.models.traits.find((t) => t.key === trait.key)!;
			expect([reported.items, reported.games]).toEqual([trait.items, trait.games]);
			expect(reported.models).toHaveLength(trait.models.length);
			trait.models.forEach((m, i) => {
				expect(reported.models[i]).toMatchObject({
					model: m.model,
					strength: m.strength,
					interval: { lower: m.lower, upper: m.upper, level: 0.95 },
					wins: m.wins,
					games: m.games,
					win_rate: m.winRate,
					n: { items: m.items, games: m.games },
					status: m.enough ? 'judged' : 'too-few'
				});
			});
		}
		// Curiosity has 4 items a batch: every model on it is too few to judge.
		const curiosity = report.models.traits[0].models;
		expect(curiosity.map((m) => m.reading)).toEqual([TOO_FEW, TOO_FEW, TOO_FEW]);
		// ckpt-B wins 28 of its 30 warmth games against base.
		const warmth = report.models.traits[2].models.find((m) => m.model === 'ckpt-B')!;
		expect([warmth.wins, warmth.games, warmth.status]).toEqual([28, 30, 'judged']);
		expect(warmth.win_rate).toBeCloseTo(28 / 30, 12);
	});
});

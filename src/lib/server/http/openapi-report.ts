import { z } from 'zod';
import type { Report } from '../report';

/**
 * GET /api/v1/batches/{id}/report in the OpenAPI description: the operation and the report's
 * schema. The schema is zod, checked at compile time against the report's type, so neither can
 * change without the other; the README documents the same fields in words.
 */

type JsonSchema = { [keyword: string]: unknown };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const count = z.int().min(0);
const figure = z.number().nullable();
const share = z.number().min(0).max(1).nullable();

const reading = {
	status: z.string().describe('The page\'s status; "too-few" below the minimum.'),
	reading: z.string().describe('The page\'s sentence; "too few to judge" below the minimum.')
};
const interval = z.strictObject({ lower: figure, upper: figure, level: z.number() });
const units = z.strictObject({ units: count, values: count });
const items = z.strictObject({ items: count });
const pairs = z.strictObject({ pairs: count, items: count });

const alphaFigure = z.strictObject({ value: figure, ...reading });
const alphaWithInterval = alphaFigure.extend({ interval });

const alpha = z.strictObject({
	n: units,
	minimum: units,
	ordinal: alphaWithInterval,
	interval: alphaWithInterval,
	bootstrap: z.strictObject({ items: count, resamples: count }),
	by_trait: z.array(
		z.strictObject({ key: z.string(), n: units, ordinal: alphaFigure, interval: alphaFigure })
	),
	leave_one_out: z.strictObject({
		metric: z.literal('ordinal'),
		minimum: z.strictObject({ shared: count, others_units: count, rise: z.number() }),
		reviewers: z.array(
			z.strictObject({
				reviewer: z.string(),
				value: figure,
				change: figure,
				n: z.strictObject({ shared: count, others_units: count }),
				...reading
			})
		)
	})
});

/** A batch's figure with its minimum, and the same figure per trait. */
function withTraits<Shape extends z.ZodRawShape, Minimum extends z.ZodType>(
	shape: Shape,
	minimum: Minimum
) {
	const trait = z.strictObject({ key: z.string(), ...shape });
	return z.strictObject({ ...shape, minimum, by_trait: z.array(trait) });
}

const concordance = withTraits({ value: figure, n: items, ...reading }, items);

const judgeTau = withTraits({ value: figure, interval, n: items, ...reading }, items).extend({
	items_with_judge: count
});

const reference = withTraits(
	{ value: share, n: pairs, above: count, tied: count, below: count, ...reading },
	pairs
);

const bias = z.strictObject({
	value: share,
	chance: share,
	wins: count,
	n: z.strictObject({ trials: count }),
	p_value: share,
	verdict: z.string(),
	tied_top: count,
	incomplete: count,
	unknown_order: count,
	...reading
});
const positionBias = z.strictObject({
	minimum: z.strictObject({ trials: count }),
	reviewers: bias,
	by_reviewer: z.array(bias.extend({ reviewer: z.string() })),
	judge: bias.nullable()
});

const gold = z.strictObject({
	rate: z.number().min(0).max(1),
	gold_items: count,
	minimum: z.strictObject({ items: count }),
	warning_below: z.number().min(0).max(1),
	by_reviewer: z.array(
		z.strictObject({
			reviewer: z.string(),
			value: share,
			interval,
			agreed: count,
			n: z.strictObject({ items: count, pairs: count }),
			...reading
		})
	)
});

const batch = z.strictObject({
	id: z.int().positive(),
	name: z.string(),
	status: z.string(),
	alpha,
	concordance,
	judge_tau: judgeTau,
	reference,
	position_bias: positionBias,
	gold
});

const models = z.strictObject({
	batch_ids: z.array(z.int().positive()),
	minimum: z.strictObject({ items: count, games: count }),
	settings: z.strictObject({ samples: count, seed: z.int(), prior: z.number() }),
	traits: z.array(
		z.strictObject({
			key: z.string(),
			items: count,
			games: count,
			models: z.array(
				z.strictObject({
					model: z.string(),
					strength: z.number(),
					interval,
					wins: count,
					games: count,
					win_rate: z.number().min(0).max(1),
					n: z.strictObject({ items: count, games: count }),
					...reading
				})
			)
		})
	)
});

const report = z.strictObject({
	version: z.int().positive(),
	generated_at: z.iso.datetime(),
	reviewer_names: z.boolean(),
	batches: z.array(batch),
	models
});
const _report: Same<z.output<typeof report>, Report> = true;

export function reportSchema(): JsonSchema {
	const { $schema: _, ...rest } = z.toJSONSchema(report);
	return rest;
}

/** The operation; `errorResponse` and `guardResponses` are the description's own. */
export function reportOperation(
	errorResponse: (description: string, codes: string[]) => unknown,
	guardResponses: Record<number, unknown>
) {
	return {
		operationId: 'getBatchReport',
		tags: ['reports'],
		summary: "The batch's dashboard figures, for scripts",
		description:
			'Agreement (alpha, ordinal and interval, overall, per trait and leave-one-out; ' +
			"Kendall's W), the judge's τ-b with its interval, the reference rate, position bias, " +
			'and per trait and model the Bradley-Terry strengths, as the dashboard, the Judge and ' +
			'position page and the Compare page show them. Every figure has its n and says "too ' +
			'few to judge" below its minimum. Reviewers are named for the caller, as on the pages.',
		'x-minimum-role': 'lead',
		parameters: [
			{ name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } }
		],
		responses: {
			200: {
				description: 'The report.',
				content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } }
			},
			...guardResponses,
			404: errorResponse('There is no such batch.', ['not_found'])
		}
	};
}

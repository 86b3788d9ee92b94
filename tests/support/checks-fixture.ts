// A locked batch with known content problems and one conflict between traits, for the export
// checks' tests (unit, HTTP and browser):
// - k1 (warmth): the rejected answer is "TODO: write this" (a placeholder);
// - k2 (warmth): the prompt ends on an assistant turn, and the rejected answer is blank;
// - k3 (warmth): both answers are the same text (one with a trailing space);
// - k4 (warmth): the prompt holds a tool's output (OpenAI, HH… cannot carry the role);
// - k5 (warmth) and k6 (curiosity): one prompt and the same two responses (s1, s2), ordered
//   s1 over s2 for warmth and s2 over s1 for curiosity;
// - k7 (curiosity): nothing wrong.
import { lockBatch } from '../../src/lib/server/batches';
import type { AppDB } from '../../src/lib/server/db';
import type { Turn } from '../../src/lib/server/imports';
import {
	makeBatch,
	makeConstitution,
	makeItem,
	makeReview,
	makeTrait,
	makeUser
} from './factories';

type FixtureItem = {
	id: string;
	trait: 'warmth' | 'curiosity';
	prompt: string | Turn[];
	/** Response external id and text, best first by every reviewer's scores. */
	responses: [string, string][];
};

export const CHECK_ITEMS: FixtureItem[] = [
	{
		id: 'k1',
		trait: 'warmth',
		prompt: 'Tell me about dogs.',
		responses: [
			['a', 'Dogs are loyal companions, and most love a long walk.'],
			['b', 'TODO: write this']
		]
	},
	{
		id: 'k2',
		trait: 'warmth',
		prompt: [
			{ role: 'user', content: 'Can you help me plan a trip?' },
			{ role: 'assistant', content: 'Of course. Where to?' }
		],
		responses: [
			['c', 'Somewhere warm would be lovely this time of year.'],
			['d', '   ']
		]
	},
	{
		id: 'k3',
		trait: 'warmth',
		prompt: 'Say something nice.',
		responses: [
			['e', 'You are doing well.'],
			['f', 'You are doing well. ']
		]
	},
	{
		id: 'k4',
		trait: 'warmth',
		prompt: [
			{ role: 'user', content: 'What is the weather in Oslo?' },
			{ role: 'assistant', content: 'Let me look that up.' },
			{ role: 'tool', content: '12 °C, light rain' },
			{ role: 'user', content: 'Should I bring a coat?' }
		],
		responses: [
			['g', 'Yes: it is 12 °C and raining, so a light waterproof coat is wise.'],
			['h', 'No.']
		]
	},
	{
		id: 'k5',
		trait: 'warmth',
		prompt: 'My plant died.',
		responses: [
			['s1', 'I am sorry, it is sad to lose something you cared for.'],
			['s2', 'Was it overwatered? Root rot is the usual cause.']
		]
	},
	{
		id: 'k6',
		trait: 'curiosity',
		prompt: 'My plant died.',
		responses: [
			['s2', 'Was it overwatered? Root rot is the usual cause.'],
			['s1', 'I am sorry, it is sad to lose something you cared for.']
		]
	},
	{
		id: 'k7',
		trait: 'curiosity',
		prompt: 'Why do cats purr?',
		responses: [
			['i', 'Partly contentment, partly self-soothing: curious, is it not?'],
			['j', 'They just do.']
		]
	}
];

/** The batch, locked, with two reviewers scoring every item's responses 6 and 2 in order. */
export async function buildChecksBatch(db: AppDB, name = 'checks-batch') {
	const lead = await makeUser(db, { role: 'lead' });
	const reviewers = [await makeUser(db), await makeUser(db)];
	const constitution = makeConstitution(db);
	const traits = {
		warmth: makeTrait(db, constitution.id, { key: 'warmth' }),
		curiosity: makeTrait(db, constitution.id, { key: 'curiosity' })
	};
	const batch = makeBatch(db, {
		name,
		constitutionId: constitution.id,
		status: 'open',
		openedAt: new Date(),
		createdBy: lead.id,
		overlap: 2
	});
	const itemIds: Record<string, number> = {};
	for (const fixture of CHECK_ITEMS) {
		const rows = makeItem(db, batch.id, traits[fixture.trait], {
			externalId: fixture.id,
			prompt: fixture.prompt,
			responses: fixture.responses.map(([externalId, content]) => ({ externalId, content }))
		});
		itemIds[fixture.id] = rows.item.id;
		for (const reviewer of reviewers) makeReview(db, rows, reviewer.id, { scores: [6, 2] });
	}
	lockBatch(db, lead.id, batch.id, true);
	return { lead, reviewers, batchId: batch.id, name, itemIds };
}

// Hand-built batches for the checkpoint comparison: a checkpoint made warmer and less funny.
import type { DB } from '../../src/lib/server/db';
import {
	makeBatch,
	makeConstitution,
	makeItem,
	makeReview,
	makeTrait,
	makeUser
} from './factories';

/**
 * Per trait, how many items each batch has and in how many of them the checkpoint's response
 * beats the base model's. "before" pits ckpt-A against base, "after" ckpt-B against base, so
 * ckpt-B is compared with ckpt-A through base, as successive training rounds usually are:
 * - warmth: A wins 15 of 30, B 28 of 30 (B clearly warmer, the largest move);
 * - humour: A wins 27 of 30, B 15 of 30 (B clearly less funny);
 * - curiosity: 4 items each, too few to judge.
 */
export const CHECKPOINT_WINS = {
	warmth: { items: 30, a: 15, b: 28 },
	humour: { items: 30, a: 27, b: 15 },
	curiosity: { items: 4, a: 2, b: 4 }
} as const;

let made = 0;

export async function makeCheckpointBatches(db: DB) {
	const tag = ++made;
	const reviewer = await makeUser(db, { role: 'researcher' });
	const constitution = makeConstitution(db, { name: `checkpoints-${tag}` });
	const traits = Object.fromEntries(
		Object.keys(CHECKPOINT_WINS).map((key) => [key, makeTrait(db, constitution.id, { key })])
	);
	const batchFor = (round: string, checkpoint: 'a' | 'b') => {
		const batch = makeBatch(db, {
			name: `${round}-${tag}`,
			constitutionId: constitution.id,
			status: 'locked'
		});
		const model = checkpoint === 'a' ? 'ckpt-A' : 'ckpt-B';
		for (const [key, counts] of Object.entries(CHECKPOINT_WINS)) {
			for (let i = 0; i < counts.items; i++) {
				// Alternate which response comes first, so that no order effect hides in the data.
				const checkpointFirst = i % 2 === 0;
				const rows = makeItem(db, batch.id, traits[key], {
					externalId: `${key}-${i + 1}`,
					responses: checkpointFirst
						? [{ model }, { model: 'base' }]
						: [{ model: 'base' }, { model }]
				});
				const checkpointWins = i < counts[checkpoint];
				const high = checkpointWins === checkpointFirst ? [6, 2] : [2, 6];
				makeReview(db, rows, reviewer.id, { scores: high });
			}
		}
		return batch;
	};
	const before = batchFor('before', 'a');
	const after = batchFor('after', 'b');
	return { before, after, reviewer };
}

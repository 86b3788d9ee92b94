// npm run cli -- import-reviews: reviews made elsewhere, merged into a batch.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCount } from '../../src/lib/format';
import { findBatchByName } from '../../src/lib/server/batches';
import { DomainError } from '../../src/lib/server/errors';
import { importReviews, parseReviewerMap } from '../../src/lib/server/review-imports';
import { actorFor, openCliDatabase, reportIssues } from './shared';
import { USAGE } from './usage';

export async function runImportReviews(args: string[]): Promise<number> {
	const { positionals, values } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			batch: { type: 'string' },
			map: { type: 'string', multiple: true },
			source: { type: 'string' },
			as: { type: 'string' }
		}
	});
	const file = positionals[0];
	if (!file || !values.batch) {
		console.error(`import-reviews needs --batch and a file.\n\n${USAGE}`);
		return 2;
	}
	const db = openCliDatabase();
	const actorId = actorFor(db, values.as);
	if (actorId === undefined) return 2;
	const batch = findBatchByName(db, values.batch);
	if (!batch) {
		console.error(`There is no batch "${values.batch}".`);
		return 2;
	}
	let result;
	try {
		result = await importReviews(db, file, {
			batchId: batch.id,
			actorId,
			map: parseReviewerMap(values.map ?? []),
			source: values.source,
			fileName: basename(file)
		});
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		console.error(e.message);
		return e.field === 'map' ? 2 : 1;
	}
	if (!result.ok) return reportIssues(result);
	console.log(
		`Imported ${formatCount(result.reviews)} reviews of ${formatCount(result.items)} items into batch "${result.batchName}" (id ${result.batchId}).`
	);
	for (const r of result.reviewers) {
		const as = r.external
			? `external reviewer ${r.username}${r.created ? ' (new)' : ''}`
			: r.username;
		console.log(`  ${r.name} → ${as}`);
	}
	return 0;
}

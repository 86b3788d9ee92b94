import type { ImportIssue } from '$lib/import-result';
import { recordAudit } from '../audit';
import { refreshBatchItems } from '../dashboard';
import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { replaceEvidence } from '../evidence';
import { IssueList } from '../imports/issues';
import type { LineEntry } from '../imports/lines';
import { loadItemContext, writeReview } from '../reviews/rows';
import { parseReviewLine } from './line';
import { matchReview, type MatchedReview } from './match';
import { ReviewerResolver, sourceSlug, type Reviewer, type ReviewerMap } from './reviewers';
import { BatchTarget, type TargetBatch } from './target';

export type SessionOptions = {
	batch: TargetBatch;
	actorId: number | null;
	map: ReviewerMap;
	/** The source part of external reviewers' names; else the file's batch name. */
	source?: string;
	now: Date;
};

/**
 * One pass over a reviews file. The check pass reads and writes nothing; the write pass runs
 * the same checks inside the import's transaction, writing each line as it passes. Both count
 * per item the reviews the file adds, and per (item, reviewer) what it already gave.
 */
export class ImportSession {
	readonly issues = new IssueList();
	private readonly target: BatchTarget;
	private resolver: ReviewerResolver | null = null;
	/** Reviews this file adds per item id. */
	private readonly added = new Map<number, number>();
	/** "itemId reviewerName" → the line that reviews it. */
	private readonly seen = new Map<string, number>();
	reviews = 0;
	/** Evidence spans the file's reviews carry. */
	spans = 0;

	constructor(
		private readonly db: AppDB,
		private readonly options: SessionOptions,
		private readonly write: boolean
	) {
		this.target = new BatchTarget(db, options.batch);
	}

	/** One line of the file: checked, and in the write pass written. */
	take(entry: LineEntry): void {
		if ('error' in entry)
			return this.issues.add({ line: entry.line, path: '', message: entry.error });
		const parsed = parseReviewLine(entry.text, entry.line);
		if (parsed.issues) return this.issues.addAll(parsed.issues);
		this.resolver ??= new ReviewerResolver(
			this.db,
			this.options.map,
			sourceSlug(this.options.source ?? parsed.review.sourceBatch),
			this.options.actorId,
			this.write
		);
		const reviewer = this.resolver.resolve(parsed.review.reviewer, entry.line);
		if ('message' in reviewer) return this.issues.add(reviewer);
		const matched = matchReview(this.target, parsed.review);
		if (matched.issues) return this.issues.addAll(matched.issues);
		const problem = this.placeProblem(matched.review, reviewer);
		if (problem) return this.issues.add(problem);
		this.reviews += 1;
		this.spans += matched.review.input.evidence.length;
		if (this.write && this.issues.total === 0) this.writeOne(matched.review, reviewer);
	}

	/** Problems of the file as a whole, once every line is read. */
	finish(): void {
		if (this.resolver) this.issues.addAll(this.resolver.unusedMapEntries());
		if (this.reviews === 0 && this.issues.total === 0) {
			this.issues.add({ line: 0, path: '', message: 'The file has no reviews.' });
		}
	}

	get batchName(): string {
		return this.options.batch.name;
	}

	reviewers(): Reviewer[] {
		return this.resolver?.reviewers() ?? [];
	}

	itemCount(): number {
		return this.added.size;
	}

	/** One review per (item, reviewer), and never more submitted reviews than the overlap. */
	private placeProblem(review: MatchedReview, reviewer: Reviewer): ImportIssue | null {
		const { item, line } = review;
		const key = `${item.id} ${reviewer.name}`;
		const earlier = this.seen.get(key);
		if (earlier !== undefined) {
			return {
				line,
				path: 'reviewer',
				message: `"${reviewer.name}" reviews item "${item.externalId}" on line ${earlier} too.`
			};
		}
		this.seen.set(key, line);
		if (reviewer.userId !== null && this.target.hasReview(item.id, reviewer.userId)) {
			return {
				line,
				path: 'reviewer',
				message: `"${reviewer.username}" already has a review of item "${item.externalId}" (was this file imported before?).`
			};
		}
		const count = (this.added.get(item.id) ?? 0) + 1;
		const { overlap } = this.options.batch;
		if (item.submittedCount + count > overlap) {
			return {
				line,
				path: 'item_id',
				message: `Item "${item.externalId}" would get ${item.submittedCount + count} submitted reviews, more than the batch's overlap of ${overlap}: raise the overlap first.`
			};
		}
		this.added.set(item.id, count);
		return null;
	}

	private writeOne(review: MatchedReview, reviewer: Reviewer) {
		const { db, options } = this;
		const { now } = options;
		const itemId = review.item.id;
		// The version the reviewer was shown elsewhere, not this instance's current one.
		const ctx = { ...loadItemContext(db, itemId), versionId: review.traitVersionId };
		const submittedAt = review.submittedAt ?? now.getTime();
		const state = { status: 'submitted', skipReason: null, submittedAt };
		const reviewId = writeReview(db, ctx, reviewer.userId!, undefined, review.input, state, now);
		// Spans are stored the way every review write stores them (reviews/writes.ts).
		replaceEvidence(db, reviewId, review.input.evidence, now);
		// The row was written with the shuffle this instance would show; the reviewer was shown
		// some order elsewhere that the file does not record. An empty list is the schema's
		// "unknown" (the column cannot be NULL without a migration): position bias skips it.
		statement(db.$client, `UPDATE reviews SET shown_order = '[]' WHERE id = ?`).run(reviewId);
		statement(
			db.$client,
			`UPDATE items SET submitted_count = submitted_count + 1 WHERE id = ?`
		).run(itemId);
	}

	/** After the last line of the write pass: the tallies of each item touched, and the audit. */
	complete(fileName: string | null) {
		const { db, options } = this;
		// One merged change for all of them: each cell row is written once, not once per item.
		refreshBatchItems(db.$client, options.batch.id, [...this.added.keys()]);
		recordAudit(
			db,
			{
				actorId: options.actorId,
				action: 'review.import',
				targetType: 'batch',
				targetId: options.batch.id,
				newValue: {
					file: fileName,
					reviews: this.reviews,
					items: this.added.size,
					evidence: this.spans,
					reviewers: this.reviewers().map((r) => ({
						name: r.name,
						username: r.username,
						external: r.external,
						created: r.created
					}))
				}
			},
			options.now
		);
	}
}

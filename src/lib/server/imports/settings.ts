import { isValidOverlap, OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import type { ImportIssue } from '$lib/import-result';

export type BatchSettings = {
	scalePoints: number;
	overlap: number;
	blind: boolean;
	calibration: boolean;
};

export const DEFAULT_BATCH_SETTINGS: BatchSettings = {
	scalePoints: 7,
	overlap: 3,
	blind: true,
	calibration: false
};

/** The CLI passes numbers unchecked, so the import checks them itself. */
export function validateSettings(settings: BatchSettings): ImportIssue[] {
	const issues: ImportIssue[] = [];
	if (
		!Number.isInteger(settings.scalePoints) ||
		settings.scalePoints < 2 ||
		settings.scalePoints > 10
	) {
		issues.push({
			line: 0,
			path: 'settings.scalePoints',
			message: 'The rating scale must have 2 to 10 points.'
		});
	}
	if (!isValidOverlap(settings.overlap)) {
		issues.push({
			line: 0,
			path: 'settings.overlap',
			message: `Reviews per item must be between ${OVERLAP_MIN} and ${OVERLAP_MAX}.`
		});
	}
	return issues;
}

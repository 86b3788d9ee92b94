/**
 * How numbers, shares and dates read everywhere, in the browser and on the server (cards, CLI,
 * messages), so that one figure never rounds two ways. Dates are formatted where they are shown:
 * call these from components so the viewer's own timezone applies, not the server's.
 */

const MISSING = 'n/a';

/** A count with thousands separators: 12,345. */
export function formatCount(value: number): string {
	return value.toLocaleString('en');
}

/** A statistic to a fixed number of decimals (3 by default): 0.812, −0.500. */
export function formatFixed(value: number | null | undefined, digits = 3): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
	return value.toFixed(digits);
}

/** A share of 1 as a percent: 0.4567 → "45.7%" (1 decimal by default). */
export function formatPercent(share: number | null | undefined, digits = 1): string {
	if (share === null || share === undefined || !Number.isFinite(share)) return MISSING;
	return `${(share * 100).toFixed(digits)}%`;
}

/**
 * How far done is towards wanted, as a whole percent rounded down, so that 100% means finished:
 * 5 of 6 → "83%". Nothing wanted reads as 0%.
 */
export function formatProgress(done: number, wanted: number): string {
	return `${wanted > 0 ? Math.floor((done / wanted) * 100) : 0}%`;
}

/** A size in megabytes, as the import limits speak of them: 12.5 MB. */
export function formatMegabytes(bytes: number, digits = 1): string {
	return `${(bytes / 1048576).toFixed(digits)} MB`;
}

/** A date and time in the viewer's timezone and locale (see LocalTime.svelte for pages). */
export function formatDateTime(value: Date | string | number): string {
	return new Date(value).toLocaleString();
}

/** A time of day in the viewer's timezone and locale. */
export function formatTime(value: Date | string | number): string {
	return new Date(value).toLocaleTimeString();
}

/** A calendar date in the viewer's timezone and locale. */
export function formatDate(value: Date | string | number): string {
	return new Date(value).toLocaleDateString();
}

// The same instants in UTC, identical on every machine: for what is rendered before the viewer's
// timezone is known (the server's render of LocalTime.svelte), and for the audit log, whose day
// filters are UTC days.

/** "2026-11-20 09:05 UTC", or with seconds "2026-11-20 09:05:30 UTC". */
export function formatUtcDateTime(
	value: Date | string | number,
	options: { seconds?: boolean } = {}
): string {
	const iso = new Date(value).toISOString();
	return `${iso.slice(0, 10)} ${iso.slice(11, options.seconds ? 19 : 16)} UTC`;
}

/** "2026-11-20": the UTC calendar date. */
export function formatUtcDate(value: Date | string | number): string {
	return new Date(value).toISOString().slice(0, 10);
}

/** "09:05:30 UTC". */
export function formatUtcTime(value: Date | string | number): string {
	return `${new Date(value).toISOString().slice(11, 19)} UTC`;
}

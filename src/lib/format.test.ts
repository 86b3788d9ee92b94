import { afterEach, describe, expect, it } from 'vitest';
import {
	formatCount,
	formatDate,
	formatDateTime,
	formatFixed,
	formatMegabytes,
	formatPercent,
	formatProgress,
	formatTime,
	formatUtcDate,
	formatUtcDateTime,
	formatUtcTime
} from './format';

describe('numbers', () => {
	it('writes counts with thousands separators, whatever the machine’s locale', () => {
		expect(formatCount(0)).toBe('0');
		expect(formatCount(1234567)).toBe('1,234,567');
	});

	it('writes statistics to 3 decimals by default, and n/a for what has no value', () => {
		expect(formatFixed(0.8124)).toBe('0.812');
		expect(formatFixed(-0.5)).toBe('-0.500');
		expect(formatFixed(null)).toBe('n/a');
		expect(formatFixed(undefined)).toBe('n/a');
		expect(formatFixed(Number.NaN)).toBe('n/a');
	});

	it('writes shares of 1 as percents', () => {
		expect(formatPercent(0.4567)).toBe('45.7%');
		expect(formatPercent(2 / 3, 0)).toBe('67%');
		expect(formatPercent(null)).toBe('n/a');
	});

	it('rounds progress down, so that only finished work reads 100%', () => {
		expect(formatProgress(5, 6)).toBe('83%');
		expect(formatProgress(999, 1000)).toBe('99%');
		expect(formatProgress(6, 6)).toBe('100%');
		// Beyond a target reads beyond 100%; nothing wanted is 0%.
		expect(formatProgress(9, 6)).toBe('150%');
		expect(formatProgress(0, 0)).toBe('0%');
		expect(formatProgress(0.25, 1)).toBe('25%');
	});

	it('writes sizes in megabytes', () => {
		expect(formatMegabytes(12.5 * 1048576)).toBe('12.5 MB');
		expect(formatMegabytes(500 * 1048576, 0)).toBe('500 MB');
	});
});

describe('dates', () => {
	const original = process.env.TZ;
	afterEach(() => {
		process.env.TZ = original;
	});
	// 03:30 UTC is still the evening before in New York.
	const instant = '2026-11-20T03:30:15.000Z';

	it('reads local dates in the viewer’s timezone, not in UTC', () => {
		process.env.TZ = 'America/New_York';
		expect(formatDate(instant)).toBe(new Date(2026, 10, 19).toLocaleDateString());
		expect(formatDateTime(instant)).toBe(new Date(2026, 10, 19, 22, 30, 15).toLocaleString());
		expect(formatTime(new Date(instant))).toBe(
			new Date(2026, 10, 19, 22, 30, 15).toLocaleTimeString()
		);
		process.env.TZ = 'Asia/Tokyo';
		expect(formatDate(Date.parse(instant))).toBe(new Date(2026, 10, 20).toLocaleDateString());
	});

	it('writes the same UTC text on every machine', () => {
		for (const tz of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
			process.env.TZ = tz;
			expect(formatUtcDateTime(instant)).toBe('2026-11-20 03:30 UTC');
			expect(formatUtcDateTime(instant, { seconds: true })).toBe('2026-11-20 03:30:15 UTC');
			expect(formatUtcDate(new Date(instant))).toBe('2026-11-20');
			expect(formatUtcTime(Date.parse(instant))).toBe('03:30:15 UTC');
		}
	});
});

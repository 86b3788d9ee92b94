import { describe, expect, it } from 'vitest';
import { BackoffLimiter } from './rate-limit';

const MINUTE = 60_000;

describe('BackoffLimiter', () => {
	it('lets the first failures through, then doubles the wait from 30 s up to the cap', () => {
		let now = 1_000_000;
		const limiter = new BackoffLimiter(3, 5 * MINUTE, () => now);
		expect([1, 2, 3].map(() => limiter.recordFailure('alice'))).toEqual([0, 0, 30]);
		expect(limiter.retryAfterSeconds('alice')).toBe(30);
		expect(limiter.retryAfterSeconds('bob')).toBe(0);
		now += 10_000;
		expect(limiter.retryAfterSeconds('alice')).toBe(20);
		now += 20_000;
		// A delay ends: the key may try again, and one more failure doubles the next wait.
		expect(limiter.retryAfterSeconds('alice')).toBe(0);
		expect(limiter.recordFailure('alice')).toBe(60);
		expect(limiter.recordFailure('alice')).toBe(120);
		expect(limiter.recordFailure('alice')).toBe(240);
		expect(limiter.recordFailure('alice')).toBe(300);
		expect(limiter.recordFailure('alice')).toBe(300);
	});

	it('forgets a key on reset, and after a day without failures', () => {
		let now = 0;
		const limiter = new BackoffLimiter(1, MINUTE, () => now);
		limiter.recordFailure('x');
		expect(limiter.retryAfterSeconds('x')).toBe(30);
		limiter.reset('x');
		expect(limiter.retryAfterSeconds('x')).toBe(0);
		limiter.recordFailure('y');
		limiter.recordFailure('y');
		now += 24 * 60 * MINUTE + 1;
		// Afresh: this failure counts as its first, so it earns the first wait, not the third.
		expect(limiter.recordFailure('y')).toBe(30);
	});

	it('stays within its size when keys keep coming', () => {
		const limiter = new BackoffLimiter(1, MINUTE);
		for (let i = 0; i < 120_000; i++) limiter.recordFailure(`10.${i}`);
		// The newest keys are kept; the oldest were dropped, which lets them in.
		expect(limiter.retryAfterSeconds('10.119999')).toBeGreaterThan(0);
		expect(limiter.retryAfterSeconds('10.0')).toBe(0);
	});
});

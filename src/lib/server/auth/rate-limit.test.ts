import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit';

describe('FailureLimiter', () => {
	it('blocks after the limit and says how long to wait', () => {
		let now = 1_000_000;
		const limiter = new FailureLimiter(3, 60_000, () => now);
		for (let i = 0; i < 3; i++) {
			expect(limiter.retryAfterSeconds('alice')).toBe(0);
			limiter.recordFailure('alice');
			now += 1000;
		}
		// The first failure was 3 s ago; it stops counting 57 s from now.
		expect(limiter.retryAfterSeconds('alice')).toBe(57);
		expect(limiter.retryAfterSeconds('bob')).toBe(0);
		now += 57_000;
		expect(limiter.retryAfterSeconds('alice')).toBe(0);
	});

	it('forgets a key on reset', () => {
		const limiter = new FailureLimiter(1, 60_000);
		limiter.recordFailure('x');
		expect(limiter.retryAfterSeconds('x')).toBeGreaterThan(0);
		limiter.reset('x');
		expect(limiter.retryAfterSeconds('x')).toBe(0);
	});
});

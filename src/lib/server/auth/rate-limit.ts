/**
 * Counts failed logins in a sliding window, per key (a username or a client address). Kept in
 * memory: the app is one process, and forgetting the counts on restart errs on the side of
 * letting people in.
 */
export class FailureLimiter {
	private failures = new Map<string, number[]>();

	constructor(
		readonly maxFailures: number,
		readonly windowMs: number,
		private readonly clock: () => number = Date.now
	) {}

	/** Seconds until `key` may try again, or 0 when it may try now. */
	retryAfterSeconds(key: string): number {
		const recent = this.recent(key);
		if (recent.length < this.maxFailures) return 0;
		const oldestThatCounts = recent[recent.length - this.maxFailures];
		return Math.max(1, Math.ceil((oldestThatCounts + this.windowMs - this.clock()) / 1000));
	}

	recordFailure(key: string): void {
		const recent = this.recent(key);
		recent.push(this.clock());
		this.failures.set(key, recent);
		if (this.failures.size > 10_000) this.prune();
	}

	reset(key: string): void {
		this.failures.delete(key);
	}

	private recent(key: string): number[] {
		const since = this.clock() - this.windowMs;
		return (this.failures.get(key) ?? []).filter((t) => t > since);
	}

	private prune(): void {
		for (const key of this.failures.keys()) {
			const recent = this.recent(key);
			if (recent.length === 0) this.failures.delete(key);
			else this.failures.set(key, recent);
		}
	}
}

const WINDOW_MS = 15 * 60 * 1000;

/** Both limits must pass: one username from anywhere, and one address trying many usernames. */
export const loginLimits = {
	byUsername: new FailureLimiter(Number(process.env.LOGIN_MAX_FAILURES_PER_USER ?? 5), WINDOW_MS),
	byAddress: new FailureLimiter(Number(process.env.LOGIN_MAX_FAILURES_PER_ADDRESS ?? 20), WINDOW_MS)
};

export function loginRetryAfter(username: string, address: string): number {
	return Math.max(
		loginLimits.byUsername.retryAfterSeconds(username),
		loginLimits.byAddress.retryAfterSeconds(address)
	);
}

export function recordLoginFailure(username: string, address: string): void {
	loginLimits.byUsername.recordFailure(username);
	loginLimits.byAddress.recordFailure(address);
}

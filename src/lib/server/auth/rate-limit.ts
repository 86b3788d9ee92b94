import { numericSetting } from '../config';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The first delay; each further failure doubles it. */
export const FIRST_DELAY_MS = 30 * SECOND;
/** A key with no failure for this long starts afresh. */
const FORGET_AFTER_MS = 24 * 60 * MINUTE;
/** Past this many keys, forgotten ones are swept out. */
const SWEEP_AT = 10_000;
/** More keys than this after a sweep, and the oldest go. */
const MAX_KEYS = 50_000;

type Entry = { failures: number; lastAt: number };

/**
 * Growing delays after repeated failures, per key: from the `maxFailures`-th failure in a row on,
 * each one makes the key wait 30 s, 1 min, 2 min, … up to `maxDelayMs`. A delay, never a lock:
 * whoever holds the key may try again when it ends, so nobody can be shut out for good.
 *
 * Kept in memory: the app is one process, and forgetting on restart errs on the side of letting
 * people in. For the same reason, an overfull table drops its oldest keys.
 */
export class BackoffLimiter {
	private entries = new Map<string, Entry>();
	// Raised after each sweep, so that a table full of live keys is not swept on every failure.
	private sweepAt = SWEEP_AT;

	constructor(
		readonly maxFailures: number,
		readonly maxDelayMs: number,
		private readonly clock: () => number = Date.now
	) {}

	/** The wait that `failures` failures in a row earn. */
	delayMs(failures: number): number {
		if (failures < this.maxFailures) return 0;
		return Math.min(this.maxDelayMs, FIRST_DELAY_MS * 2 ** (failures - this.maxFailures));
	}

	/** Seconds until `key` may try again, or 0 when it may try now. */
	retryAfterSeconds(key: string): number {
		const entry = this.current(key);
		if (!entry) return 0;
		const wait = entry.lastAt + this.delayMs(entry.failures) - this.clock();
		return wait > 0 ? Math.ceil(wait / SECOND) : 0;
	}

	/** Counts a failure; returns the seconds of delay it now imposes (0 below the limit). */
	recordFailure(key: string): number {
		const failures = (this.current(key)?.failures ?? 0) + 1;
		// Deleted and set again, so that the map's order is the order of last failure.
		this.entries.delete(key);
		this.entries.set(key, { failures, lastAt: this.clock() });
		if (this.entries.size > this.sweepAt) this.sweep();
		return Math.ceil(this.delayMs(failures) / SECOND);
	}

	reset(key: string): void {
		this.entries.delete(key);
	}

	private current(key: string): Entry | undefined {
		const entry = this.entries.get(key);
		if (entry && this.clock() - entry.lastAt > FORGET_AFTER_MS) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}

	private sweep(): void {
		for (const key of [...this.entries.keys()]) this.current(key);
		for (const key of this.entries.keys()) {
			if (this.entries.size <= MAX_KEYS) break;
			this.entries.delete(key);
		}
		this.sweepAt = Math.max(SWEEP_AT, this.entries.size * 2);
	}
}

type LoginLimits = { byPair: BackoffLimiter; byAddress: BackoffLimiter };
let limits: LoginLimits | undefined;

/**
 * Two limits, both delays:
 * - per username and client address: a guesser at one account from one place slows down, while
 *   the account's owner, elsewhere, signs in as usual;
 * - per address, counting only usernames that do not exist: a looser limit on an address that
 *   sprays made-up names. It slows every attempt from that address, and no other.
 */
function loginLimits(): LoginLimits {
	if (!limits) {
		const maxDelayMs = numericSetting('LOGIN_MAX_DELAY_MINUTES') * MINUTE;
		limits = {
			byPair: new BackoffLimiter(numericSetting('LOGIN_MAX_FAILURES_PER_USER'), maxDelayMs),
			byAddress: new BackoffLimiter(numericSetting('LOGIN_MAX_FAILURES_PER_ADDRESS'), maxDelayMs)
		};
	}
	return limits;
}

const pairKey = (username: string, address: string) => JSON.stringify([username, address]);

export type LoginReservation =
	{ allowed: false; retryAfter: number } | { allowed: true; delayIfFailed: number };

/**
 * Checks the limits and, if the attempt may go ahead, counts it as a failure at once, before
 * the password is hashed. Counting after the check let a burst of parallel attempts all pass
 * the limit while each waited for argon2. This runs without awaiting anything, so no two
 * requests can both take the last free attempt. `loginSucceeded` takes it back.
 */
export function reserveLoginAttempt(
	username: string,
	address: string,
	knownUser: boolean
): LoginReservation {
	const { byPair, byAddress } = loginLimits();
	const key = pairKey(username, address);
	const retryAfter = Math.max(byPair.retryAfterSeconds(key), byAddress.retryAfterSeconds(address));
	if (retryAfter > 0) return { allowed: false, retryAfter };
	const delays = [byPair.recordFailure(key), knownUser ? 0 : byAddress.recordFailure(address)];
	return { allowed: true, delayIfFailed: Math.max(...delays) };
}

export function loginSucceeded(username: string, address: string): void {
	loginLimits().byPair.reset(pairKey(username, address));
}

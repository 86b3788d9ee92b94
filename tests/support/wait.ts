/**
 * Waits until `condition` holds (and returns what it returned), checking every `everyMs`, and
 * fails saying `what` it waited for once `timeoutMs` has passed. Tests wait for what they need
 * this way, never for a fixed time: on a busy machine a fixed sleep is either too short (a flaky
 * failure) or too long.
 */
export async function waitFor<T>(
	condition: () => T | Promise<T>,
	what: string | (() => string),
	{ timeoutMs = 10_000, everyMs = 10 }: { timeoutMs?: number; everyMs?: number } = {}
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await condition();
		if (value) return value as NonNullable<T>;
		if (Date.now() > deadline) {
			const said = typeof what === 'string' ? what : what();
			throw new Error(`Gave up after ${timeoutMs} ms waiting for ${said}.`);
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

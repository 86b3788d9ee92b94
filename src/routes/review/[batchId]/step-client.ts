// The enhanced review pages post their writes to the JSON endpoints of steps.server.ts, not to
// the form actions: the same steps and answers, at a fraction of the server's work per request.
// The forms keep their actions, for the page without JavaScript.
import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

/** Posts one step and returns its answer in the shape use:enhance would have given. */
export async function postStep(url: string, body: unknown): Promise<ActionResult> {
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			cache: 'no-store',
			body: JSON.stringify(body)
		});
		// Signed out meanwhile: the endpoint sent us to log in; come back to this page after.
		if (res.redirected && new URL(res.url).pathname === '/login') {
			const back = location.pathname + location.search;
			return {
				type: 'redirect',
				status: 303,
				location: `/login?redirectTo=${encodeURIComponent(back)}`
			};
		}
		if (!res.headers.get('content-type')?.startsWith('application/json')) {
			return { type: 'error', status: res.status, error: new Error(await res.text()) };
		}
		const answer = (await res.json()) as ActionResult | { message: string };
		if ('type' in answer) return answer;
		// An error page's body (a 403 or 404 from the route): as an action's error.
		return { type: 'error', status: res.status, error: answer };
	} catch (error) {
		return { type: 'error', error };
	}
}

/** What use:enhance does with an answer by default: the page updates as after an action. */
export async function applyStep(result: ActionResult): Promise<void> {
	if (result.type === 'success') await invalidateAll();
	await applyAction(result);
}

/**
 * For use:enhance: the enhanced form posts `body()` to `url()` instead of its action, then
 * hands the answer to `then` (by default, what use:enhance would do with it).
 */
export function viaEndpoint(
	url: () => string,
	body: () => unknown,
	then: (result: ActionResult) => Promise<void> = applyStep
): SubmitFunction {
	return async ({ cancel }) => {
		cancel();
		await then(await postStep(url(), body()));
	};
}

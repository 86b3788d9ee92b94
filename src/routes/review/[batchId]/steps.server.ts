// The review page's steps (src/lib/server/reviews/steps.ts) as SvelteKit answers them: the form
// actions throw a redirect or return `fail`; the JSON endpoints answer the outcome as JSON,
// which the enhanced page applies as it would an action's result.
import { fail, json, redirect } from '@sveltejs/kit';
import type { FormFailure } from '$lib/server/forms';
import { runJsonStep, type StepOutcome, type StepRoute } from '$lib/server/reviews';

/** The outcome as a form action answers: a redirect is thrown, a failure is `fail`. */
export function asAction(outcome: StepOutcome): FormFailure | { savedAt: string } {
	if (outcome.type === 'redirect') redirect(303, outcome.location);
	if (outcome.type === 'failure') return fail(outcome.status, outcome.data);
	return outcome.data;
}

/** The outcome as the JSON endpoints answer: the page applies it as it would an action's. */
export function asJson(outcome: StepOutcome): Response {
	return json(outcome, { status: outcome.type === 'failure' ? outcome.status : 200 });
}

/** A JSON endpoint's answer for a signed-in user (the review lane gives the same one). */
export async function answerJson(
	userId: number,
	route: StepRoute,
	request: Request
): Promise<Response> {
	const body = route.step === 'next' ? '' : await request.text();
	return asJson(await runJsonStep(userId, route, body));
}

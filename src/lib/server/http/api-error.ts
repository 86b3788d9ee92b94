/** One problem in a request: where (a line of a file, a field) and what. */
export type ApiIssue = { line?: number; path: string; message: string };

/** What an error may carry besides its code and message. */
export type ApiErrorDetails = { issues?: ApiIssue[] } & Record<string, unknown>;

/**
 * Every failure of the JSON API has one shape, `{"error": {"code", "message", "issues"?}}`:
 * scripts branch on the code, people read the message, and `issues` lists each problem with
 * where it is. Other details ride along beside them (the batch an import would duplicate).
 */
export function apiError(
	status: number,
	code: string,
	message: string,
	details: ApiErrorDetails = {}
): Response {
	return Response.json({ error: { code, message, ...details } }, { status });
}

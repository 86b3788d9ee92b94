/**
 * An expected failure of a domain rule ("username taken", "last admin"). Routes turn it into a
 * 400 with the message next to the field; anything else is a bug and goes to handleError.
 */
export class DomainError extends Error {
	constructor(
		message: string,
		readonly field?: string,
		readonly status = 400
	) {
		super(message);
		this.name = 'DomainError';
	}
}

/** What an unexpected failure tells the user; the error itself goes to the log. */
export const SERVER_ERROR_MESSAGE = 'Something went wrong on our side.';

/**
 * Logs an unexpected error under a short id, and returns the id for the answer to show, so that
 * a user's report can be found in the log.
 */
export function logServerError(what: string, error: unknown): string {
	const errorId = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${errorId}] ${what}`, error);
	return errorId;
}

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

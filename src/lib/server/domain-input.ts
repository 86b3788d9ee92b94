import type { z } from 'zod';
import { DomainError } from './errors';

/**
 * Validates what a domain function was handed. A failure is a DomainError naming the first
 * field at fault, so every caller (form, API, CLI) has one failure path and a form shows the
 * message beside the field, never a ZodError that would end as a 500.
 */
export function parseDomainInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
	throw new DomainError(issue.message, field);
}

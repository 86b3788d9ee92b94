import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import { DomainError } from './errors';

export type FieldErrors = Record<string, string>;
export type FormFailure = ActionFailure<{ errors: FieldErrors; values: Record<string, string> }>;

/** The words a yes/no field accepts (an unticked checkbox sends nothing, read as no). */
export const YES_WORDS = ['yes', 'true', 'on', '1'] as const;
export const NO_WORDS = ['no', 'false', 'off', '0'] as const;
const YES = new Set<string>(YES_WORDS);
const NO = new Set<string>([...NO_WORDS, '']);

/**
 * A yes/no field, however it arrives: a ticked checkbox sends "on" (or its value), a hidden
 * toggle or a query string "true"/"false", "1"/"0" or "yes"/"no", a JSON body a boolean.
 * Anything else is refused. An unticked checkbox sends nothing at all, so whoever reads a form
 * chains `.default(false)`; an API or a query string chains its own default.
 */
export const formCheckbox = z.preprocess(
	(value) => {
		if (typeof value !== 'string') return value;
		const word = value.trim().toLowerCase();
		return YES.has(word) ? true : NO.has(word) ? false : value;
	},
	z.boolean({ message: 'Expected yes or no (true or false).' })
);

/** Fields never echoed back into a re-rendered form: passwords and their confirmation. */
const SECRET_FIELDS = /password|confirm/i;

function echoValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !SECRET_FIELDS.test(key)) values[key] = value;
	}
	return values;
}

/**
 * Validates a form with a zod schema. On failure it returns the `fail(400)` to hand back,
 * carrying one message per field and the values typed (passwords left out).
 */
export function parseForm<S extends z.ZodType>(
	schema: S,
	form: FormData
): { data: z.output<S>; failure?: never } | { data?: never; failure: FormFailure } {
	const raw = Object.fromEntries(
		[...form.keys()].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)])
	);
	const result = schema.safeParse(raw);
	if (result.success) return { data: result.data };
	return { failure: fail(400, { errors: fieldErrors(result.error), values: echoValues(form) }) };
}

/** One message per field (the first), keyed by the field's path; 'form' for the whole form. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.join('.') || 'form';
		errors[key] ??= issue.message;
	}
	return errors;
}

/** Turns an expected domain failure into a form failure; anything else is rethrown. */
export function domainFailure(e: unknown, form?: FormData): FormFailure {
	if (e instanceof DomainError) return formError(e.status, e.message, form, e.field);
	throw e;
}

/** A failure with one message, for the form as a whole unless a field is named. */
export function formError(
	status: number,
	message: string,
	form?: FormData,
	field = 'form'
): FormFailure {
	return fail(status, { errors: { [field]: message }, values: form ? echoValues(form) : {} });
}

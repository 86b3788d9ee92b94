import { z } from 'zod';
import { traitContentSchema } from './traits';

/**
 * The trait form's fields: the rubric arrives as lines of a textarea, no authority as ''. Title
 * and description follow the trait's own rules; the length of each rubric line and of the
 * authority is checked by createTrait and editTrait, whose refusal names the field.
 */
export const traitFormSchema = traitContentSchema.extend({
	rubric: z
		.string()
		.default('')
		.transform((text) =>
			text
				.split(/\r?\n/)
				.map((line) => line.trim())
				.filter(Boolean)
		)
		.refine((lines) => lines.length === 0 || (lines.length >= 2 && lines.length <= 10), {
			message: 'A rubric has one line per scale point: 2 to 10 lines.'
		})
		.transform((lines) => (lines.length ? lines : null)),
	authority: z
		.string()
		.default('')
		.transform((v) => v.trim() || null)
});

export const newTraitFormSchema = traitFormSchema.extend({ key: z.string() });

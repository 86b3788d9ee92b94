import { z } from 'zod';

/** The trait form's fields: the rubric arrives as lines of a textarea. */
export const traitFormSchema = z.object({
	title: z.string().trim().min(1, 'Give the trait a title.').max(200),
	description: z.string().max(50_000).default(''),
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
		.trim()
		.max(40)
		.default('')
		.transform((v) => v || null)
});

export const newTraitFormSchema = traitFormSchema.extend({ key: z.string() });

import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listMyReviews } from '$lib/server/reviews';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const user = requireUser();
	const page = z.coerce
		.number()
		.int()
		.min(1)
		.catch(1)
		.parse(url.searchParams.get('page') ?? 1);
	const result = listMyReviews(getDb(), user.id, page);
	return {
		page,
		pages: result.pages,
		total: result.total,
		reviews: result.rows.map((r) => ({
			...r,
			updatedAt: r.updatedAt.toISOString(),
			submittedAt: r.submittedAt?.toISOString() ?? null
		}))
	};
};

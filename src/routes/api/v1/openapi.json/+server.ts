import { json } from '@sveltejs/kit';
import { openApiDescription } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The API's OpenAPI description: public, like the API's shape it tells nothing private. */
export const GET: RequestHandler = () => json(openApiDescription());

/** A request's media type, lower-cased and without parameters (`; charset=…`); '' when unset. */
export function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
}

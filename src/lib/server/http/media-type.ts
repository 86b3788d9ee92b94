/** A request's media type, lower-cased and without parameters (`; charset=…`); '' when unset. */
export function mediaType(request: Request): string {
	return mediaTypeOf(request.headers.get('content-type'));
}

/** The media type of a Content-Type header's value, as mediaType gives it. */
export function mediaTypeOf(contentType: string | null | undefined): string {
	return (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
}

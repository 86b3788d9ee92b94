// Requests the ordinary helpers cannot make: bodies without a Content-Length, forms sent from a
// chosen client address, and waiting for the server to print something.
import type { TestServer } from './server';

/**
 * A body of `bytes` bytes as a stream, so that fetch sends it chunked (no Content-Length): the
 * server cannot refuse it up front and must count as it reads.
 */
export function chunkedBody(bytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
	let sent = 0;
	const block = new Uint8Array(chunk).fill(0x61);
	return new ReadableStream({
		pull(controller) {
			if (sent >= bytes) return controller.close();
			const size = Math.min(chunk, bytes - sent);
			sent += size;
			controller.enqueue(size === chunk ? block : block.subarray(0, size));
		}
	});
}

/** POSTs `body` chunked; resolves with the status and text, or rejects if the connection dies. */
export async function postChunked(
	url: string,
	body: ReadableStream<Uint8Array>,
	headers: Record<string, string>
): Promise<{ status: number; text: string }> {
	const res = await fetch(url, {
		method: 'POST',
		headers,
		body,
		redirect: 'manual',
		// Node's fetch needs this to send a stream.
		duplex: 'half'
	} as RequestInit);
	return { status: res.status, text: await res.text() };
}

/**
 * Posts a form to a SvelteKit action as `use:enhance` does, with extra headers (such as the
 * X-Forwarded-For a proxy adds, when the server runs with ADDRESS_HEADER).
 */
export async function postFormWith(
	baseUrl: string,
	path: string,
	fields: Record<string, string>,
	headers: Record<string, string>
): Promise<{ type: string; status: number; location?: string; data?: string }> {
	const res = await fetch(baseUrl + path, {
		method: 'POST',
		headers: {
			origin: baseUrl,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			...headers
		},
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	return { status: res.status, ...(await res.json()) };
}

/** Waits, up to a deadline, until the server's output matches; returns the match. */
export async function waitForLog(
	server: TestServer,
	pattern: RegExp,
	timeoutMs = 10_000
): Promise<RegExpMatchArray> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const match = server.logs().match(pattern);
		if (match) return match;
		if (Date.now() > deadline)
			throw new Error(`No ${pattern} in the server's output:\n${server.logs()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

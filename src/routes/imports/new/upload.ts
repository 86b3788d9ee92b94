import type { UploadLine, UploadResult } from '$lib/import-result';

/** What the page hears: the browser's own upload progress, then the server's lines. */
export type UploadEvent = { type: 'upload'; loaded: number; total: number } | UploadLine;

/**
 * Sends the file with XMLHttpRequest rather than fetch: only XHR reports upload progress.
 * The reply is NDJSON, read as it arrives.
 */
export function uploadImport(
	file: File,
	query: URLSearchParams,
	onEvent: (event: UploadEvent) => void
): Promise<UploadResult> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		let seen = 0;
		let outcome: UploadResult | undefined;
		const readNewLines = () => {
			const text = xhr.responseText;
			const end = text.lastIndexOf('\n');
			if (end < seen) return;
			for (const line of text.slice(seen, end).split('\n')) {
				if (!line.trim()) continue;
				const event = JSON.parse(line) as UploadEvent;
				if (event.type === 'result') outcome = event.result;
				onEvent(event);
			}
			seen = end + 1;
		};
		xhr.open('POST', `/imports/upload?${query}`);
		xhr.setRequestHeader('content-type', 'application/octet-stream');
		xhr.upload.onprogress = (e) => onEvent({ type: 'upload', loaded: e.loaded, total: e.total });
		xhr.onprogress = readNewLines;
		xhr.onload = () => {
			if (xhr.status !== 200) {
				reject(new Error(`The server answered ${xhr.status}.`));
				return;
			}
			readNewLines();
			if (outcome) resolve(outcome);
			else reject(new Error('The server ended the import without a result.'));
		};
		xhr.onerror = () =>
			reject(new Error('The upload failed: check your connection and try again.'));
		xhr.send(file);
	});
}

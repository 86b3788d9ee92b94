export type UploadEvent =
	| { type: 'upload'; loaded: number; total: number }
	| { type: 'progress'; phase: string; bytes: number; totalBytes: number }
	| { type: 'result'; result: ImportOutcome };

export type ImportIssue = { line: number; path: string; message: string };
export type ImportOutcome =
	| {
			ok: true;
			kind: 'batch' | 'constitution';
			batchId?: number;
			batchName?: string;
			constitutionId: number;
			constitutionName: string;
			items?: number;
			responses?: number;
			traits?: number;
			prompts?: number;
	  }
	| {
			ok: false;
			code: string;
			message: string;
			issues: ImportIssue[];
			totalIssues?: number;
			existing?: { batchId: number | null; constitutionId: number };
	  };

/**
 * Sends the file with XMLHttpRequest rather than fetch: only XHR reports upload progress.
 * The reply is NDJSON, read as it arrives.
 */
export function uploadImport(
	file: File,
	query: URLSearchParams,
	onEvent: (event: UploadEvent) => void
): Promise<ImportOutcome> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		let seen = 0;
		let outcome: ImportOutcome | undefined;
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

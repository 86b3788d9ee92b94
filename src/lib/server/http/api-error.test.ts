import { describe, expect, it } from 'vitest';
import { apiError } from './api-error';

describe('apiError', () => {
	it('answers JSON in the one error shape, with the status given', async () => {
		const res = apiError(413, 'file_too_large', 'The file is larger than the limit of 1 MB.');
		expect(res.status).toBe(413);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await res.json()).toEqual({
			error: { code: 'file_too_large', message: 'The file is larger than the limit of 1 MB.' }
		});
	});

	it('carries the issues and any other details beside the code and message', async () => {
		const issues = [{ line: 3, path: 'responses[1].content', message: 'must be a string' }];
		const res = apiError(422, 'invalid_file', 'The file has 1 problem.', {
			issues,
			totalIssues: 1
		});
		expect(await res.json()).toEqual({
			error: { code: 'invalid_file', message: 'The file has 1 problem.', issues, totalIssues: 1 }
		});
	});
});

import { describe, expect, it } from 'vitest';
import type { ItemRecord, ReviewRecord } from '../item-records';
import { CSV_COLUMNS, csvHeader, itemRows, type FormatContext } from './formats';
import type { Selected } from './select';

/**
 * A strict RFC 4180 reader: fields separated by commas, records by CRLF or LF; a field holding a
 * comma, quote, CR or LF must be quoted, and a quote inside one is doubled. Anything else (a
 * bare CR, a quote in an unquoted field, text after a closing quote) is an error, so a file that
 * a lenient reader would split into extra rows fails here.
 */
function parseCsvStrictly(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let i = 0;
	const endOfRecord = () => text.startsWith('\r\n', i) || text[i] === '\n';
	while (i < text.length) {
		let field = '';
		if (text[i] === '"') {
			i++;
			for (;;) {
				if (i >= text.length) throw new Error('unterminated quoted field');
				if (text[i] === '"' && text[i + 1] === '"') {
					field += '"';
					i += 2;
				} else if (text[i] === '"') {
					i++;
					break;
				} else field += text[i++];
			}
			if (i < text.length && text[i] !== ',' && !endOfRecord()) {
				throw new Error(`text after a closing quote at ${i}`);
			}
		} else {
			while (i < text.length && text[i] !== ',' && !endOfRecord()) {
				if (text[i] === '"' || text[i] === '\r') {
					throw new Error(`unquoted ${JSON.stringify(text[i])} at ${i}`);
				}
				field += text[i++];
			}
		}
		record.push(field);
		if (text[i] === ',') i++;
		else {
			i += text.startsWith('\r\n', i) ? 2 : 1;
			records.push(record);
			record = [];
		}
	}
	return records;
}

const review = (comments: Record<string, string>, overallComment: string): ReviewRecord => ({
	id: 1,
	userId: 7,
	scores: { 1: 5, 2: 3 },
	ranks: { 1: 1, 2: 2 },
	comments,
	flags: [],
	overallComment,
	timeSpentMs: 1000,
	submittedAt: Date.UTC(2026, 0, 1),
	traitVersion: 1,
	shownOrder: [1, 2]
});

function rowsFor(comments: Record<string, string>, overallComment: string): string[][] {
	const response = (id: number) => ({
		id,
		position: id,
		externalId: `r${id}`,
		model: 'm',
		content: 'text',
		aiScore: null,
		aiRank: null,
		referenceLabel: null,
		referenceReason: null
	});
	const item: ItemRecord = {
		id: 1,
		batchId: 1,
		batchName: 'Batch',
		externalId: 'item-1',
		traitKey: 'warmth',
		traitVersion: 1,
		prompt: [{ role: 'user', content: 'Hi' }],
		metadata: null,
		responses: [response(1), response(2)],
		reviews: [review(comments, overallComment)],
		adjudication: null
	};
	const selected: Selected = { kept: true, item, consensus: [], pairs: [], agreement: 0.5 };
	const ctx: FormatContext = {
		format: 'reviews-csv',
		includeMargin: false,
		includeMetadata: true,
		separatePrompt: false,
		reviewerName: () => 'reviewer-1',
		notes: {}
	};
	return parseCsvStrictly(csvHeader() + itemRows(ctx, selected).text);
}

const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);

describe('reviews-csv', () => {
	it('keeps a comment with a bare CR, LF or CRLF in its own cell', () => {
		const rows = rowsFor({ 1: 'ok\r+1+1', 2: 'line one\nline two' }, 'a\r\nb');
		expect(rows).toHaveLength(3);
		for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
		expect(rows[1][column('comment')]).toBe('ok\r+1+1');
		expect(rows[2][column('comment')]).toBe('line one\nline two');
		expect(rows[1][column('overall_comment')]).toBe('a\r\nb');
	});

	it('still makes formula-looking cells text', () => {
		const rows = rowsFor({ 1: '=1+1', 2: '\r=cmd' }, '@SUM(A1)');
		expect(rows[1][column('comment')]).toBe("'=1+1");
		expect(rows[2][column('comment')]).toBe("'\r=cmd");
		expect(rows[1][column('overall_comment')]).toBe("'@SUM(A1)");
		// Numbers are numbers, not formulas.
		expect(rows[1][column('agreement')]).toBe('0.5');
	});
});

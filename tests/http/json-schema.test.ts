// The small JSON Schema validator that openapi.test.ts checks real answers with: each keyword
// must refuse what it should, or the API tests would pass whatever the server said.
import { describe, expect, it } from 'vitest';
import { resolvePointer, unsupportedKeywords, validateJson } from '../support/json-schema';

const person = {
	type: 'object',
	properties: {
		name: { type: 'string', minLength: 1, maxLength: 5, pattern: '^[a-z]+$' },
		age: { type: 'integer', minimum: 0, maximum: 150 },
		score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
		tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1, maxItems: 2 },
		kind: { const: 'person' }
	},
	required: ['name', 'kind'],
	additionalProperties: false
};

describe('validateJson', () => {
	it('accepts a valid value, ignoring annotations', () => {
		const annotated = { ...person, description: 'x', title: 'y', format: 'date-time' };
		expect(
			validateJson({ name: 'ann', age: 3, score: 0.5, tags: ['a'], kind: 'person' }, annotated)
		).toEqual([]);
		expect(validateJson(null, { type: ['string', 'null'] })).toEqual([]);
		expect(validateJson(3, { type: 'number' })).toEqual([]);
	});

	it('names each problem with where it is', () => {
		const problems = validateJson(
			{ name: 'Ann!', age: 2.5, score: 1, tags: ['c', 'a', 'b'], kind: 'cat', extra: 1 },
			person
		);
		expect(problems).toEqual(
			expect.arrayContaining([
				'/name: does not match ^[a-z]+$',
				'/age: not integer',
				'/score: not below 1',
				'/tags/0: "c" is not one of ["a","b"]',
				'/tags: too many items',
				'/kind: not "person"',
				'/extra: no value is allowed here'
			])
		);
		expect(validateJson({ kind: 'person' }, person)).toEqual(['/: missing required "name"']);
		expect(validateJson({ name: '', kind: 'person', age: -1 }, person)).toEqual([
			'/name: too short',
			'/name: does not match ^[a-z]+$',
			'/age: below 0'
		]);
		expect(validateJson([], person)).toEqual(['/: not object']);
	});

	it('checks extra properties and property names against their schemas', () => {
		const counts = {
			type: 'object',
			propertyNames: { pattern: '^[a-z]+$' },
			additionalProperties: { type: 'integer' }
		};
		expect(validateJson({ a: 1, b: 2 }, counts)).toEqual([]);
		expect(validateJson({ a: 'x', B: 2 }, counts)).toEqual([
			'/B: does not match ^[a-z]+$',
			'/a: not integer'
		]);
	});

	it('takes exactly one oneOf branch, any anyOf branch, and every allOf branch', () => {
		const one = { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 1 }] };
		expect(validateJson(0, one)).toEqual([]);
		expect(validateJson(0.5, one)[0]).toMatch(/not exactly one oneOf/);
		expect(validateJson(2, one)).toEqual(['/: not exactly one oneOf (2 match)']);
		const any = { anyOf: [{ type: 'string' }, { type: 'null' }] };
		expect(validateJson(null, any)).toEqual([]);
		expect(validateJson(1, any)).toEqual(['/: matches no anyOf']);
		const all = { allOf: [{ type: 'object', required: ['a'] }, { required: ['b'] }] };
		expect(validateJson({ a: 1, b: 2 }, all)).toEqual([]);
		expect(validateJson({ a: 1 }, all)).toEqual(['/: missing required "b"']);
	});

	it('follows $refs into the root document, and refuses what it cannot resolve', () => {
		const root = {
			components: { schemas: { 'a/b': { type: 'string' }, Id: { type: 'integer' } } }
		};
		expect(validateJson('x', { $ref: '#/components/schemas/a~1b' }, root)).toEqual([]);
		expect(validateJson('x', { $ref: '#/components/schemas/Id' }, root)).toEqual([
			'/: not integer'
		]);
		expect(() => validateJson(1, { $ref: '#/components/schemas/Nope' }, root)).toThrow(
			/Unresolved/
		);
		expect(resolvePointer(root, '#/components/schemas/Id')).toEqual({ type: 'integer' });
	});

	it('throws on a keyword it does not know, rather than passing', () => {
		expect(() => validateJson('x', { type: 'string', minContains: 1 })).toThrow(/minContains/);
		expect(
			unsupportedKeywords({
				type: 'object',
				properties: { a: { if: {} }, b: { items: { dependentRequired: {} } } },
				oneOf: [{ not: {} }]
			})
		).toEqual(['if', 'dependentRequired', 'not']);
		expect(unsupportedKeywords(person)).toEqual([]);
	});
});

// A small JSON Schema (2020-12) validator for the keywords the API's OpenAPI description uses.
// The only validator installed is ajv 6, which eslint brings and which reads draft-07, not the
// 2020-12 dialect of OpenAPI 3.1. A keyword outside the list below throws rather than passing
// silently, so the description cannot grow a rule these tests do not check.

export type Schema = { [keyword: string]: unknown } | boolean;

/** Keywords that describe and never constrain. */
const ANNOTATIONS = new Set([
	'$schema',
	'title',
	'description',
	'default',
	'examples',
	'format',
	'deprecated',
	'readOnly',
	'writeOnly',
	'contentMediaType',
	'contentEncoding'
]);

type Check = (value: unknown, arg: unknown, at: string, schema: SchemaObject) => string[];
type SchemaObject = { [keyword: string]: unknown };
type Validate = (value: unknown, schema: unknown, at: string) => string[];

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function hasType(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === 'number' && actual === 'integer');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === 'object';

function equal(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves a local `$ref` ("#/components/schemas/X") against the root document. */
export function resolvePointer(root: unknown, ref: string): unknown {
	if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported: ${ref}`);
	const parts = ref
		.slice(1)
		.split('/')
		.slice(1)
		.map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
	let node = root;
	for (const part of parts) {
		if (!isObject(node) && !Array.isArray(node)) throw new Error(`Unresolved $ref ${ref}`);
		node = (node as Record<string, unknown>)[part];
		if (node === undefined) throw new Error(`Unresolved $ref ${ref}`);
	}
	return node;
}

function checks(validate: Validate, root: unknown): Record<string, Check> {
	const bound = (n: unknown) => n as number;
	const when =
		(type: string, check: Check): Check =>
		(value, arg, at, schema) =>
			hasType(value, type) ? check(value, arg, at, schema) : [];
	const fail = (condition: boolean, at: string, message: string) =>
		condition ? [] : [`${at || '/'}: ${message}`];
	return {
		$ref: (value, ref, at) => validate(value, resolvePointer(root, ref as string), at),
		type: (value, type, at) => {
			const types = Array.isArray(type) ? type : [type];
			return fail(
				types.some((t) => hasType(value, t as string)),
				at,
				`not ${types.join(' or ')}`
			);
		},
		enum: (value, options, at) =>
			fail(
				(options as unknown[]).some((o) => equal(o, value)),
				at,
				`${JSON.stringify(value)} is not one of ${JSON.stringify(options)}`
			),
		const: (value, c, at) => fail(equal(value, c), at, `not ${JSON.stringify(c)}`),
		minimum: when('number', (v, n, at) => fail(bound(v) >= bound(n), at, `below ${n}`)),
		maximum: when('number', (v, n, at) => fail(bound(v) <= bound(n), at, `above ${n}`)),
		exclusiveMinimum: when('number', (v, n, at) => fail(bound(v) > bound(n), at, `not above ${n}`)),
		exclusiveMaximum: when('number', (v, n, at) => fail(bound(v) < bound(n), at, `not below ${n}`)),
		minLength: when('string', (v, n, at) =>
			fail((v as string).length >= bound(n), at, 'too short')
		),
		maxLength: when('string', (v, n, at) => fail((v as string).length <= bound(n), at, 'too long')),
		pattern: when('string', (v, p, at) =>
			fail(new RegExp(p as string, 'u').test(v as string), at, `does not match ${p}`)
		),
		minItems: when('array', (v, n, at) => fail((v as []).length >= bound(n), at, 'too few items')),
		maxItems: when('array', (v, n, at) => fail((v as []).length <= bound(n), at, 'too many items')),
		items: when('array', (v, items, at) =>
			(v as unknown[]).flatMap((item, i) => validate(item, items, `${at}/${i}`))
		),
		required: when('object', (v, names, at) =>
			(names as string[]).flatMap((name) =>
				fail(name in (v as object), at, `missing required "${name}"`)
			)
		),
		properties: when('object', (v, properties, at) =>
			Object.entries(properties as Record<string, unknown>).flatMap(([name, schema]) =>
				name in (v as object)
					? validate((v as Record<string, unknown>)[name], schema, `${at}/${name}`)
					: []
			)
		),
		additionalProperties: when('object', (v, extra, at, schema) => {
			const known = Object.keys((schema.properties as object | undefined) ?? {});
			return Object.entries(v as Record<string, unknown>)
				.filter(([name]) => !known.includes(name))
				.flatMap(([name, value]) => validate(value, extra, `${at}/${name}`));
		}),
		propertyNames: when('object', (v, names, at) =>
			Object.keys(v as object).flatMap((name) => validate(name, names, `${at}/${name}`))
		),
		allOf: (value, all, at) => (all as unknown[]).flatMap((s) => validate(value, s, at)),
		anyOf: (value, any, at) => {
			const results = (any as unknown[]).map((s) => validate(value, s, at));
			return results.some((r) => r.length === 0) ? [] : [`${at || '/'}: matches no anyOf`];
		},
		oneOf: (value, one, at) => {
			const results = (one as unknown[]).map((s) => validate(value, s, at));
			const matches = results.filter((r) => r.length === 0).length;
			if (matches === 1) return [];
			const why = matches === 0 ? results.flat().join('; ') : `${matches} match`;
			return [`${at || '/'}: not exactly one oneOf (${why})`];
		}
	};
}

/**
 * The problems of `value` against `schema`, each as "/json/pointer: what is wrong"; none when
 * it is valid. `root` is the document its `$ref`s point into.
 */
export function validateJson(value: unknown, schema: Schema, root: unknown = schema): string[] {
	const table = checks(validate, root);
	function validate(v: unknown, s: unknown, at: string): string[] {
		if (s === true) return [];
		if (s === false) return [`${at || '/'}: no value is allowed here`];
		if (!isObject(s)) throw new Error(`Not a schema at ${at}: ${JSON.stringify(s)}`);
		return Object.entries(s).flatMap(([keyword, arg]) => {
			if (ANNOTATIONS.has(keyword)) return [];
			const check = table[keyword];
			if (!check) throw new Error(`Unsupported JSON Schema keyword "${keyword}" at ${at}`);
			return check(v, arg, at, s);
		});
	}
	return validate(value, schema, '');
}

/** The keywords in `schema` and its subschemas that `validateJson` would not understand. */
export function unsupportedKeywords(schema: Schema): string[] {
	if (typeof schema === 'boolean') return [];
	const known = new Set([...ANNOTATIONS, ...Object.keys(checks(() => [], null))]);
	const sub = (s: unknown) => unsupportedKeywords(s as Schema);
	return Object.entries(schema).flatMap(([keyword, arg]) => {
		if (!known.has(keyword)) return [keyword];
		if (keyword === 'properties') return Object.values(arg as object).flatMap(sub);
		if (['allOf', 'anyOf', 'oneOf'].includes(keyword)) return (arg as unknown[]).flatMap(sub);
		if (['items', 'additionalProperties', 'propertyNames'].includes(keyword)) return sub(arg);
		return [];
	});
}

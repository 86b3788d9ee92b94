import { SESSION_COOKIE } from '../auth/session';
import { exportContentType } from '../exports';
import { componentSchemas, type JsonSchema } from './openapi-schemas';
import { importParameters } from './openapi-imports';
import { reportOperation, reportSchema } from './openapi-report';

/**
 * The OpenAPI 3.1 description of the JSON API, served at GET /api/v1/openapi.json. It is built
 * from the code's own lists and schemas (formats, strategies, option schemas), so that a new
 * format or option shows here without an edit; tests/http/openapi.test.ts checks every real
 * answer against it. Paths are written in full (`/api/v1/…`), so the health check fits too.
 */

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/**
 * An error answer: the one error shape, narrowed to the codes this operation can give with
 * this status, so a script can branch on each code the description names.
 */
function errorResponse(description: string, codes: string[], shape = 'ApiError') {
	const narrowed = { properties: { error: { properties: { code: { enum: codes } } } } };
	return { description, content: json({ allOf: [schemaRef(shape), narrowed] }) };
}

const header = (description: string, required = true) => ({
	description,
	required,
	schema: { type: 'string' }
});

/**
 * The guard's answers, the same on every operation that needs a lead. Only a write can be
 * refused as cross-site: reads change nothing, so the origin check lets them through.
 */
const guardResponses = (write: boolean) => ({
	401: { $ref: '#/components/responses/Unauthorized' },
	403: { $ref: `#/components/responses/${write ? 'ForbiddenWrite' : 'Forbidden'}` }
});

const importOperation = () => ({
	operationId: 'createImport',
	tags: ['imports'],
	summary: 'Import a file as a batch (or, for Open Character Training, a constitution)',
	description:
		'The file is the raw request body; its Content-Type is not read. The whole file is ' +
		'checked before anything is written. The constitution is named by `constitution`, or ' +
		'after the file (`filename`, or a Content-Disposition header): one of them is needed.',
	'x-minimum-role': 'lead',
	parameters: importParameters(),
	requestBody: {
		required: true,
		description: 'The file. Any media type is accepted; these are the usual ones.',
		content: {
			'application/x-ndjson': {},
			'application/json': {},
			'text/markdown': {},
			'application/octet-stream': {}
		}
	},
	responses: {
		201: { description: 'Imported.', content: json(schemaRef('ImportSuccess')) },
		400: errorResponse('A query parameter is not valid.', ['bad_request']),
		...guardResponses(true),
		409: errorResponse(
			'The file was imported before (`existing` names the batch), or another import took ' +
				'the batch name while this file was checked (`conflict`).',
			['already_imported', 'conflict'],
			'ImportFailure'
		),
		413: errorResponse(
			'The file is over IMPORT_MAX_FILE_MB (`file_too_large`); or the body is over MAX_BODY_KB ' +
				'and the caller may not import, found before the role check (`body_too_large`).',
			['file_too_large', 'body_too_large']
		),
		422: errorResponse(
			'The file has problems, each in `issues` with its line (a batch name taken is one), ' +
				'or is in no known format.',
			['invalid_file', 'unknown_format'],
			'ImportFailure'
		)
	}
});

const exportOperation = () => ({
	operationId: 'createExport',
	tags: ['exports'],
	summary: 'Export reviewed batches as a training file',
	description:
		'Runs the export and answers with its record; the file is at `download`. Batches are ' +
		'given by id (`batchIds`), by name (`batches`), or both.',
	'x-minimum-role': 'lead',
	parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
	requestBody: { required: true, content: json(schemaRef('ExportRequest')) },
	responses: {
		201: {
			description: 'Exported (or, for a repeated Idempotency-Key, the first export again).',
			headers: {
				'Idempotent-Replayed': header(
					'`true` when this is the answer to an earlier request.',
					false
				)
			},
			content: json(schemaRef('ExportRecord'))
		},
		400: errorResponse(
			'The body is not a JSON object or the Idempotency-Key is malformed (`bad_request`), ' +
				'or the options are not valid (`invalid_options`, each in `issues`).',
			['bad_request', 'invalid_options']
		),
		...guardResponses(true),
		404: errorResponse('A batch named in `batches` does not exist.', [
			'unknown_batch',
			'cannot_export'
		]),
		409: errorResponse('The first request with this Idempotency-Key is still running.', [
			'request_in_progress'
		]),
		413: errorResponse('The body is over MAX_BODY_KB.', ['body_too_large']),
		415: errorResponse('The body is not sent as application/json.', ['unsupported_media_type']),
		422: errorResponse(
			'The batches cannot be exported: a batch id that does not exist, or a batch not ' +
				'locked (`cannot_export`); or the ' +
				'Idempotency-Key was used for a different request (`idempotency_key_reused`).',
			['cannot_export', 'idempotency_key_reused']
		)
	}
});

const reviewImportOperation = () => ({
	operationId: 'importReviews',
	tags: ['imports'],
	summary: 'Import reviews made elsewhere onto a batch',
	description:
		'The body is a reviews JSONL, as the `reviews-jsonl` export writes it. Items are matched ' +
		'by `item_id` and `trait_key`, responses by `external_id` (else `position`). Reviewers ' +
		'named in `map` become those accounts; the rest become external reviewers ' +
		'`ext-<source>-<reviewer>`, who cannot log in. All or nothing: a file imported before is ' +
		'refused, its reviews being duplicates.',
	'x-minimum-role': 'lead',
	parameters: [
		{ name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } },
		{
			name: 'map',
			in: 'query',
			required: false,
			description: "One per reviewer: `reviewer-1=alice` maps the file's reviewer to an account.",
			schema: { type: 'array', items: { type: 'string' } },
			explode: true
		},
		{
			name: 'source',
			in: 'query',
			required: false,
			description: "Names the external reviewers; by default, the file's batch name.",
			schema: { type: 'string', maxLength: 100 }
		},
		{
			name: 'filename',
			in: 'query',
			required: false,
			description: "The file's name, for the audit log.",
			schema: { type: 'string' }
		}
	],
	requestBody: {
		required: true,
		description: 'The reviews file. Any media type is accepted.',
		content: { 'application/x-ndjson': {}, 'application/octet-stream': {} }
	},
	responses: {
		201: { description: 'Imported.', content: json(schemaRef('ReviewImportSuccess')) },
		400: errorResponse('A `map` entry is not `reviewer=username`, or `source` is too long.', [
			'bad_request'
		]),
		...guardResponses(true),
		404: errorResponse('There is no such batch.', ['not_found']),
		409: errorResponse(
			'The batch is locked (`batch_locked`), or it changed while the file was checked ' +
				'(`conflict`): nothing was imported.',
			['batch_locked', 'conflict']
		),
		413: errorResponse(
			'The file is over IMPORT_MAX_FILE_MB, or the body over MAX_BODY_KB for a caller who may not import.',
			['file_too_large', 'body_too_large']
		),
		422: errorResponse(
			'The file has problems, each in `issues` with its line and field: an unknown item, ' +
				'a score off the scale, a review already there, an item past its overlap…',
			['invalid_file'],
			'ImportFailure'
		)
	}
});

/** The media types an export file is served with, one per distinct format's type. */
function exportFileContent() {
	const files = ['export.jsonl', 'export.csv', 'export.tar'];
	const types = new Set(files.map((name) => exportContentType(name).split(';')[0]));
	return Object.fromEntries([...types].map((type) => [type, { schema: { type: 'string' } }]));
}

const downloadOperation = () => ({
	operationId: 'downloadExport',
	tags: ['exports'],
	summary: "An export's file, byte for byte as written and hashed",
	'x-minimum-role': 'lead',
	parameters: [
		{ name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } }
	],
	responses: {
		200: {
			description: 'The file.',
			headers: {
				'X-Content-SHA256': header("The file's SHA-256, as in the export's record."),
				'Content-Disposition': header('`attachment` with the stored file name.')
			},
			content: exportFileContent()
		},
		...guardResponses(false),
		404: errorResponse('There is no such export.', ['not_found']),
		410: errorResponse('The export is recorded but its file is no longer on the server.', ['error'])
	}
});

const publicGet = (operationId: string, summary: string, schema: JsonSchema) => ({
	get: {
		operationId,
		tags: ['service'],
		summary,
		security: [],
		responses: { 200: { description: 'OK.', content: json(schema) } }
	}
});

const OPENAPI_PATH = '/api/v1/openapi.json';

function buildDescription() {
	return {
		openapi: '3.1.1',
		info: {
			title: 'Trait Review API',
			version: '1',
			description:
				'Import files, export reviewed batches and read their figures from scripts. Every failure answers ' +
				'`{"error": {"code", "message", …}}`: scripts branch on `code`, people read ' +
				'`message`, and `issues` lists each problem with where it is.'
		},
		tags: [
			{ name: 'imports', description: 'Files in, as batches or constitutions.' },
			{ name: 'exports', description: 'Reviewed batches out, as training files.' },
			{ name: 'reports', description: "A batch's figures, as its dashboard shows them." },
			{ name: 'service', description: 'Public, no credentials needed.' }
		],
		security: [{ bearerToken: [] }, { session: [] }],
		paths: {
			'/api/health': publicGet(
				'checkHealth',
				'Liveness: the database answers',
				schemaRef('Health')
			),
			[OPENAPI_PATH]: publicGet('describeApi', 'This description', { type: 'object' }),
			'/api/v1/imports': { post: importOperation() },
			'/api/v1/batches/{id}/reviews': { post: reviewImportOperation() },
			'/api/v1/exports': { post: exportOperation() },
			'/api/v1/exports/{id}/download': { get: downloadOperation() },
			'/api/v1/batches/{id}/report': {
				get: reportOperation(errorResponse, guardResponses(false))
			}
		},
		components: {
			securitySchemes: {
				bearerToken: {
					type: 'http',
					scheme: 'bearer',
					description:
						'An API token from the API tokens page (admins make them), acting with its ' +
						"owner's role. An unknown or revoked token is a 401 on every /api path."
				},
				session: {
					type: 'apiKey',
					in: 'cookie',
					name: SESSION_COOKIE,
					description: "The web app's session; writes must then come from the app's own origin."
				}
			},
			parameters: {
				IdempotencyKey: {
					name: 'Idempotency-Key',
					in: 'header',
					required: false,
					description:
						'Makes a retry safe: for 24 hours the same key and body answer with the first ' +
						'export, marked `Idempotent-Replayed: true`. Visible ASCII, no spaces.',
					schema: { type: 'string', minLength: 1, maxLength: 255 }
				}
			},
			responses: {
				Unauthorized: {
					description: 'No credentials (`unauthorized`) or an unknown token (`invalid_token`).',
					headers: { 'WWW-Authenticate': header('The Bearer challenge (RFC 6750).') },
					content: errorResponse('', ['unauthorized', 'invalid_token']).content
				},
				Forbidden: {
					description: 'The role may not.',
					content: errorResponse('', ['forbidden']).content
				},
				ForbiddenWrite: {
					description:
						'The role may not (`forbidden`), or a write with a session came from another ' +
						'site (`cross_site`).',
					content: errorResponse('', ['forbidden', 'cross_site']).content
				}
			},
			schemas: { ...componentSchemas(), Report: reportSchema() }
		}
	};
}

let built: ReturnType<typeof buildDescription> | undefined;

/** The description, built once: everything in it is fixed while the server runs. */
export function openApiDescription(): ReturnType<typeof buildDescription> {
	built ??= buildDescription();
	return built;
}

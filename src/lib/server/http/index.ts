export { apiError, type ApiErrorDetails, type ApiIssue } from './api-error';
export { apiEndpoint, apiUnauthorized, bearerChallenge } from './api-endpoint';
export { checkDatabase } from './health';
export { runOnce } from './idempotent';
export { readJsonObject, type JsonObjectBody } from './json-body';
export { isApiPath, refuseCrossSite } from './same-origin';
export { openApiDescription } from './openapi';

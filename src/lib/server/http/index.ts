export { apiError, type ApiErrorDetails, type ApiIssue } from './api-error';
export { checkDatabase } from './health';

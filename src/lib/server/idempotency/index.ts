// Idempotency keys for the API's writes: a retry gets the first answer, never a second write.
export {
	claimIdempotencyKey,
	IDEMPOTENCY_RETENTION_MS,
	idempotencyKeyProblem,
	recordIdempotentAnswer,
	releaseIdempotencyKey,
	releaseUnansweredIdempotencyKeys,
	type KeyClaim
} from './keys';

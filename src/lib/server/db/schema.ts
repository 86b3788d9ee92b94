export * from './auth.schema';
export * from './audit.schema';
export * from './catalog.schema';
export * from './batch.schema';
export * from './review.schema';
export * from './export.schema';
export * from './idempotency.schema';
export * from './adjudication-flag.schema';

export * from './auth.schema';
export * from './audit.schema';

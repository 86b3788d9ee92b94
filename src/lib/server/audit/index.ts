// The audit log: what changed, who changed it and when. Append-only: the database refuses to
// change or remove an event (migrations/0005_append_only_audit.sql).
export { recordAudit, recordExportDownload, type AuditInput } from './record';
export {
	AUDIT_PAGE_SIZE,
	auditFacets,
	listAuditEvents,
	type AuditFilter,
	type AuditRow
} from './list';
export {
	auditTargetTypeLabel,
	describeAuditEvents,
	type AuditChange,
	type AuditEntry
} from './describe';

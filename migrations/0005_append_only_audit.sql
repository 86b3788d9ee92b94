-- The audit log is append-only: rows are inserted, never changed or removed. This also keeps a
-- user with audit events from being deleted (the foreign key would null their actor_id):
-- accounts are disabled instead.
CREATE TRIGGER `audit_events_append_only_update` BEFORE UPDATE ON `audit_events`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_append_only_delete` BEFORE DELETE ON `audit_events`
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

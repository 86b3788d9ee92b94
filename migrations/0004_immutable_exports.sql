-- Export records are the trace of a training file: once written, never changed or removed.
CREATE TRIGGER `exports_immutable_update` BEFORE UPDATE ON `exports`
BEGIN
	SELECT RAISE(ABORT, 'export records are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER `exports_immutable_delete` BEFORE DELETE ON `exports`
BEGIN
	SELECT RAISE(ABORT, 'export records are immutable');
END;

-- Lets a batch be 'importing': written in chunks, seen by nobody until its last chunk commits.
-- SQLite cannot change a CHECK constraint in place, so batches is rebuilt. drizzle-kit's rebuild
-- turns foreign keys off first, but the migrator runs inside a transaction, where that pragma does
-- nothing, and DROP TABLE batches would then cascade-delete every item, response, review, lease,
-- assignment and import. So this migration commits the migrator's transaction, turns foreign keys
-- off outside any transaction, rebuilds in its own, then turns them back on and reopens one for
-- the migrator to record the migration and commit.
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
BEGIN IMMEDIATE;--> statement-breakpoint
CREATE TABLE `__new_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`constitution_id` integer NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`scale_points` integer DEFAULT 7 NOT NULL,
	`overlap` integer DEFAULT 3 NOT NULL,
	`blind` integer DEFAULT true NOT NULL,
	`calibration` integer DEFAULT false NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`opened_at` integer,
	`locked_at` integer,
	FOREIGN KEY (`constitution_id`) REFERENCES `constitutions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "batches_status_check" CHECK("__new_batches"."status" in ('importing', 'draft', 'open', 'locked')),
	CONSTRAINT "batches_scale_check" CHECK("__new_batches"."scale_points" between 2 and 10),
	CONSTRAINT "batches_overlap_check" CHECK("__new_batches"."overlap" between 1 and 50)
);
--> statement-breakpoint
INSERT INTO `__new_batches`("id", "constitution_id", "name", "status", "scale_points", "overlap", "blind", "calibration", "created_by", "created_at", "opened_at", "locked_at") SELECT "id", "constitution_id", "name", "status", "scale_points", "overlap", "blind", "calibration", "created_by", "created_at", "opened_at", "locked_at" FROM `batches`;--> statement-breakpoint
DROP TABLE `batches`;--> statement-breakpoint
ALTER TABLE `__new_batches` RENAME TO `batches`;--> statement-breakpoint
CREATE UNIQUE INDEX `batches_name_unique` ON `batches` (`name`);--> statement-breakpoint
ALTER TABLE `imports` ADD `writer_host` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `writer_pid` integer;--> statement-breakpoint
ALTER TABLE `imports` ADD `writer_started_at` integer;--> statement-breakpoint
ALTER TABLE `imports` ADD `heartbeat_at` integer;--> statement-breakpoint
COMMIT;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
BEGIN;

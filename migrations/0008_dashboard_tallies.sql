CREATE TABLE `agreement_tallies` (
	`batch_id` integer NOT NULL,
	`scope` text NOT NULL,
	`subject` integer NOT NULL,
	`cells` blob NOT NULL,
	PRIMARY KEY(`batch_id`, `scope`, `subject`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `batch_tallies` (
	`batch_id` integer PRIMARY KEY NOT NULL,
	`traits` text NOT NULL,
	`built_at` integer NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `item_tallies` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`batch_id` integer NOT NULL,
	`trait_id` integer NOT NULL,
	`submitted` integer NOT NULL,
	`ratings` integer NOT NULL,
	`concordance` real,
	`ai_tau` real,
	`state` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_tallies_batch_idx` ON `item_tallies` (`batch_id`);--> statement-breakpoint
CREATE TABLE `model_game_tallies` (
	`batch_id` integer NOT NULL,
	`trait_id` integer NOT NULL,
	`winner` text NOT NULL,
	`loser` text NOT NULL,
	`games` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `trait_id`, `winner`, `loser`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `model_summaries` (
	`batch_id` integer NOT NULL,
	`trait_id` integer NOT NULL,
	`digest` text NOT NULL,
	`summary` text NOT NULL,
	PRIMARY KEY(`batch_id`, `trait_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reference_tallies` (
	`batch_id` integer NOT NULL,
	`trait_id` integer NOT NULL,
	`items` integer NOT NULL,
	`pairs` integer NOT NULL,
	`above` integer NOT NULL,
	`tied` integer NOT NULL,
	`below` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `trait_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reviewer_tallies` (
	`batch_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`reviews` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `user_id`, `status`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `submission_tallies` (
	`batch_id` integer NOT NULL,
	`measure` text NOT NULL,
	`value` integer NOT NULL,
	`reviews` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `measure`, `value`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- Backfill: the review tallies of an existing database, counted once here. The item and
-- agreement tallies need the statistics code: the app builds them at start (dashboard/tallies).
INSERT INTO `reviewer_tallies` (`batch_id`, `user_id`, `status`, `reviews`)
	SELECT `batch_id`, `user_id`, `status`, count(*) FROM `reviews` GROUP BY `batch_id`, `user_id`, `status`;
--> statement-breakpoint
INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
	SELECT `batch_id`, 'day', `submitted_at` / 86400000, count(*) FROM `reviews`
	 WHERE `status` = 'submitted' AND `submitted_at` IS NOT NULL GROUP BY `batch_id`, `submitted_at` / 86400000;
--> statement-breakpoint
INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
	SELECT `batch_id`, 'second', `time_spent_ms` / 1000, count(*) FROM `reviews`
	 WHERE `status` = 'submitted' GROUP BY `batch_id`, `time_spent_ms` / 1000;
--> statement-breakpoint
INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
	SELECT `batch_id`, 'ms', `time_spent_ms`, count(*) FROM `reviews`
	 WHERE `status` = 'submitted' GROUP BY `batch_id`, `time_spent_ms`;
--> statement-breakpoint
-- From here on the database keeps the review tallies itself, in the transaction of each write,
-- whoever makes it. Counts go down by UPDATE only: when a batch is deleted, its tallies may be
-- gone already, and an insert would then name a batch that no longer exists.
CREATE TRIGGER `reviews_tally_insert` AFTER INSERT ON `reviews`
BEGIN
	INSERT INTO `reviewer_tallies` (`batch_id`, `user_id`, `status`, `reviews`)
		VALUES (new.batch_id, new.user_id, new.status, 1)
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'day', new.submitted_at / 86400000, 1
		 WHERE new.status = 'submitted' AND new.submitted_at IS NOT NULL
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'second', new.time_spent_ms / 1000, 1 WHERE new.status = 'submitted'
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'ms', new.time_spent_ms, 1 WHERE new.status = 'submitted'
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reviews_tally_status` AFTER UPDATE OF `status`, `user_id`, `batch_id` ON `reviews`
WHEN old.status IS NOT new.status OR old.user_id IS NOT new.user_id OR old.batch_id IS NOT new.batch_id
BEGIN
	UPDATE `reviewer_tallies` SET `reviews` = `reviews` - 1
	 WHERE `batch_id` = old.batch_id AND `user_id` = old.user_id AND `status` = old.status;
	INSERT INTO `reviewer_tallies` (`batch_id`, `user_id`, `status`, `reviews`)
		VALUES (new.batch_id, new.user_id, new.status, 1)
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
END;
--> statement-breakpoint
-- A draft saved again changes its time spent, but only submitted reviews are counted here.
CREATE TRIGGER `reviews_tally_submission` AFTER UPDATE OF `status`, `submitted_at`, `time_spent_ms`, `batch_id` ON `reviews`
WHEN (old.status = 'submitted' OR new.status = 'submitted')
 AND (old.status IS NOT new.status OR old.submitted_at IS NOT new.submitted_at
      OR old.time_spent_ms IS NOT new.time_spent_ms OR old.batch_id IS NOT new.batch_id)
BEGIN
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted' AND old.submitted_at IS NOT NULL
	   AND `batch_id` = old.batch_id AND `measure` = 'day' AND `value` = old.submitted_at / 86400000;
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted'
	   AND `batch_id` = old.batch_id AND `measure` = 'second' AND `value` = old.time_spent_ms / 1000;
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted'
	   AND `batch_id` = old.batch_id AND `measure` = 'ms' AND `value` = old.time_spent_ms;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'day', new.submitted_at / 86400000, 1
		 WHERE new.status = 'submitted' AND new.submitted_at IS NOT NULL
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'second', new.time_spent_ms / 1000, 1 WHERE new.status = 'submitted'
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
	INSERT INTO `submission_tallies` (`batch_id`, `measure`, `value`, `reviews`)
		SELECT new.batch_id, 'ms', new.time_spent_ms, 1 WHERE new.status = 'submitted'
		ON CONFLICT DO UPDATE SET `reviews` = `reviews` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reviews_tally_delete` AFTER DELETE ON `reviews`
BEGIN
	UPDATE `reviewer_tallies` SET `reviews` = `reviews` - 1
	 WHERE `batch_id` = old.batch_id AND `user_id` = old.user_id AND `status` = old.status;
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted' AND old.submitted_at IS NOT NULL
	   AND `batch_id` = old.batch_id AND `measure` = 'day' AND `value` = old.submitted_at / 86400000;
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted'
	   AND `batch_id` = old.batch_id AND `measure` = 'second' AND `value` = old.time_spent_ms / 1000;
	UPDATE `submission_tallies` SET `reviews` = `reviews` - 1
	 WHERE old.status = 'submitted'
	   AND `batch_id` = old.batch_id AND `measure` = 'ms' AND `value` = old.time_spent_ms;
END;

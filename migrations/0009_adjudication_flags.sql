CREATE TABLE `adjudication_flags` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`batch_id` integer NOT NULL,
	`reason` text NOT NULL,
	`flagged_by` integer,
	`flagged_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`flagged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `adjudication_flags_batch_idx` ON `adjudication_flags` (`batch_id`);
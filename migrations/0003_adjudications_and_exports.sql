CREATE TABLE `adjudications` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`batch_id` integer NOT NULL,
	`decision` text NOT NULL,
	`final_order` text,
	`note` text NOT NULL,
	`decided_by` integer,
	`decided_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "adjudications_decision_check" CHECK("adjudications"."decision" in ('order', 'exclude'))
);
--> statement-breakpoint
CREATE INDEX `adjudications_batch_idx` ON `adjudications` (`batch_id`);--> statement-breakpoint
CREATE TABLE `export_batches` (
	`export_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	PRIMARY KEY(`export_id`, `batch_id`),
	FOREIGN KEY (`export_id`) REFERENCES `exports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `export_batches_batch_idx` ON `export_batches` (`batch_id`);--> statement-breakpoint
CREATE TABLE `exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`format` text NOT NULL,
	`settings` text NOT NULL,
	`row_count` integer NOT NULL,
	`items_in` integer NOT NULL,
	`items_out` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`file_name` text NOT NULL,
	`card` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);

CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`quota` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_batch_user_idx` ON `assignments` (`batch_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `assignments_user_idx` ON `assignments` (`user_id`);--> statement-breakpoint
CREATE TABLE `leases` (
	`item_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `user_id`),
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `leases_user_batch_idx` ON `leases` (`user_id`,`batch_id`);--> statement-breakpoint
CREATE TABLE `review_responses` (
	`review_id` integer NOT NULL,
	`response_id` integer NOT NULL,
	`score` integer,
	`rank` integer,
	`comment` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`review_id`, `response_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`trait_version_id` integer NOT NULL,
	`shown_order` text NOT NULL,
	`overall_comment` text DEFAULT '' NOT NULL,
	`flags` text DEFAULT '[]' NOT NULL,
	`skip_reason` text,
	`time_spent_ms` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`submitted_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trait_version_id`) REFERENCES `trait_versions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reviews_status_check" CHECK("reviews"."status" in ('draft', 'submitted', 'skipped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_item_user_idx` ON `reviews` (`item_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `reviews_batch_status_idx` ON `reviews` (`batch_id`,`status`);--> statement-breakpoint
CREATE INDEX `reviews_user_batch_idx` ON `reviews` (`user_id`,`batch_id`,`status`);
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `constitutions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `constitutions_name_unique` ON `constitutions` (`name`);--> statement-breakpoint
CREATE TABLE `prompts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trait_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`trait_id`) REFERENCES `traits`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompts_trait_external_idx` ON `prompts` (`trait_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `prompts_trait_text_idx` ON `prompts` (`trait_id`,`text`);--> statement-breakpoint
CREATE TABLE `trait_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trait_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`rubric` text,
	`authority` text,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`trait_id`) REFERENCES `traits`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trait_versions_trait_version_idx` ON `trait_versions` (`trait_id`,`version`);--> statement-breakpoint
CREATE TABLE `traits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`constitution_id` integer NOT NULL,
	`key` text NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`constitution_id`) REFERENCES `constitutions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `traits_constitution_key_idx` ON `traits` (`constitution_id`,`key`);--> statement-breakpoint
CREATE TABLE `batches` (
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
	CONSTRAINT "batches_status_check" CHECK("batches"."status" in ('draft', 'open', 'locked')),
	CONSTRAINT "batches_scale_check" CHECK("batches"."scale_points" between 2 and 10),
	CONSTRAINT "batches_overlap_check" CHECK("batches"."overlap" between 1 and 50)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batches_name_unique` ON `batches` (`name`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`format` text NOT NULL,
	`constitution_id` integer NOT NULL,
	`batch_id` integer,
	`item_count` integer NOT NULL,
	`response_count` integer NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`constitution_id`) REFERENCES `constitutions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `imports_sha_idx` ON `imports` (`file_sha256`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`trait_id` integer NOT NULL,
	`trait_version_id` integer NOT NULL,
	`prompt_id` integer,
	`external_id` text NOT NULL,
	`prompt` text NOT NULL,
	`prompt_text` text NOT NULL,
	`metadata` text,
	`response_count` integer NOT NULL,
	`source_line` integer NOT NULL,
	`submitted_count` integer DEFAULT 0 NOT NULL,
	`shuffle_key` integer DEFAULT (abs(random()) % 2147483647) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trait_id`) REFERENCES `traits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trait_version_id`) REFERENCES `trait_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_batch_external_idx` ON `items` (`batch_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `items_batch_trait_idx` ON `items` (`batch_id`,`trait_id`);--> statement-breakpoint
CREATE INDEX `items_queue_idx` ON `items` (`batch_id`,`submitted_count`,`shuffle_key`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`position` integer NOT NULL,
	`external_id` text,
	`model` text,
	`content` text NOT NULL,
	`ai_score` real,
	`ai_rank` integer,
	`reference_label` text,
	`reference_reason` text,
	`metadata` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responses_item_position_idx` ON `responses` (`item_id`,`position`);--> statement-breakpoint
CREATE INDEX `responses_model_idx` ON `responses` (`model`);
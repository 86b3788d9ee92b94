ALTER TABLE `batches` ADD `gold_rate` real DEFAULT 0.05 NOT NULL;--> statement-breakpoint
ALTER TABLE `items` ADD `gold_order` text;--> statement-breakpoint
CREATE INDEX `items_gold_idx` ON `items` (`batch_id`,`submitted_count`,`shuffle_key`) WHERE "items"."gold_order" is not null;
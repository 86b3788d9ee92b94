CREATE TABLE `stale_tallies` (
	`batch_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `item_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;

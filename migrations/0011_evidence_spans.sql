CREATE TABLE `evidence_spans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` integer NOT NULL,
	`response_id` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`stance` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "evidence_spans_range_check" CHECK("evidence_spans"."start" >= 0 AND "evidence_spans"."start" < "evidence_spans"."end"),
	CONSTRAINT "evidence_spans_stance_check" CHECK("evidence_spans"."stance" in ('for', 'against'))
);
--> statement-breakpoint
CREATE INDEX `evidence_spans_review_idx` ON `evidence_spans` (`review_id`);
CREATE TABLE `comment_anchors` (
	`comment_id` integer PRIMARY KEY NOT NULL,
	`essay` text NOT NULL,
	`quote` text NOT NULL,
	`block_id` text NOT NULL,
	`exact` text NOT NULL,
	`prefix` text NOT NULL,
	`suffix` text NOT NULL,
	`version` text NOT NULL,
	`located_block` text,
	`located_start` integer,
	`located_end` integer,
	`located_version` text NOT NULL,
	`status` text NOT NULL,
	`reviewed_at` integer,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comment_anchors_located` ON `comment_anchors` (`essay`,`located_block`);--> statement-breakpoint
CREATE TABLE `passage_versions` (
	`essay` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`reanchored_at` integer NOT NULL
);

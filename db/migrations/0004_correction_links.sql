CREATE TABLE `correction_links` (
	`correction_id` text PRIMARY KEY NOT NULL,
	`comment_id` integer NOT NULL,
	`linked_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `correction_links_comment` ON `correction_links` (`comment_id`);
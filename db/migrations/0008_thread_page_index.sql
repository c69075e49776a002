DROP INDEX `comments_essay_thread`;--> statement-breakpoint
CREATE INDEX `comments_essay_thread` ON `comments` (`essay`,`parent_id`,`created_at`,`status`,`author_id`);
CREATE TABLE `discussion_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`essay` text NOT NULL,
	`kind` text NOT NULL,
	`comment_id` integer NOT NULL,
	`from_status` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discussion_events_essay` ON `discussion_events` (`essay`,`seq`);--> statement-breakpoint
CREATE TABLE `discussion_visits` (
	`user_id` text NOT NULL,
	`essay` text NOT NULL,
	`seen_at` integer NOT NULL,
	`new_since` integer NOT NULL,
	PRIMARY KEY(`user_id`, `essay`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The change log is written by triggers, so that every write path records its events (the
-- services, moderation, account deletion, the admin command, another process). Times are SQLite's
-- clock in Unix milliseconds. A migration that rebuilds `comments` must create these again
-- (tests/integration/live-events.test.ts checks they exist after every migration).
CREATE TRIGGER `discussion_events_comment_added` AFTER INSERT ON `comments`
WHEN new.`status` IN ('published', 'pending')
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (new.`essay`, CASE new.`status` WHEN 'published' THEN 'comment-published' ELSE 'comment-held' END, new.`id`, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `discussion_events_status_changed` AFTER UPDATE OF `status` ON `comments`
WHEN new.`status` IS NOT old.`status`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (
    new.`essay`,
    CASE
      WHEN new.`status` = 'published' AND old.`status` IN ('hidden', 'spam') THEN 'comment-restored'
      WHEN new.`status` = 'published' THEN 'comment-published'
      WHEN new.`status` = 'pending' THEN 'comment-held'
      ELSE 'comment-removed'
    END,
    new.`id`, old.`status`, CAST(unixepoch('subsec') * 1000 AS INTEGER)
  );
END;
--> statement-breakpoint
-- An author's edit sets edited_at; re-rendering stored comments with a newer renderer does not, so
-- it sends nothing.
CREATE TRIGGER `discussion_events_comment_edited` AFTER UPDATE OF `edited_at` ON `comments`
WHEN new.`edited_at` IS NOT NULL AND new.`edited_at` IS NOT old.`edited_at` AND new.`status` IN ('published', 'pending')
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (new.`essay`, 'comment-edited', new.`id`, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `discussion_events_comment_deleted` AFTER DELETE ON `comments`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (old.`essay`, 'comment-removed', old.`id`, old.`status`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
-- A like or unlike recounts like_count; a status change that zeroes it (a placeholder) is told as such.
CREATE TRIGGER `discussion_events_likes_changed` AFTER UPDATE OF `like_count` ON `comments`
WHEN new.`like_count` IS NOT old.`like_count` AND new.`status` = 'published' AND old.`status` = 'published'
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (new.`essay`, 'likes-changed', new.`id`, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
-- Trimming, every 256th event, inside the write that adds it (so it moves no data version of its
-- own): rows older than a day, or beyond the last 100,000, go. Rows are in time order, so the scan
-- stops at the first row young enough: it reads only what it deletes.
CREATE TRIGGER `discussion_events_trim` AFTER INSERT ON `discussion_events`
WHEN new.`seq` % 256 = 0
BEGIN
  DELETE FROM `discussion_events` WHERE `seq` < max(
    new.`seq` - 100000,
    (SELECT `seq` FROM `discussion_events` WHERE `at` >= new.`at` - 86400000 ORDER BY `seq` LIMIT 1)
  );
END;

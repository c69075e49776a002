-- More of the discussion follows on open pages (src/features/discussion/live/): the discussion's
-- own state and commenters' names, written by triggers like the comments' events of 0005, so every
-- write path records them (moderation, account settings, the admin command, a raw statement).
-- Closing or reopening a discussion, pinning or unpinning a comment: one 'discussion-changed'
-- event about no one comment (comment 0); each page then asks for the discussion again, as its
-- reader sees it (components/live-client.ts). Unpinning by deleting the comment for good is a
-- change too (the foreign key's SET NULL is an update).
CREATE TRIGGER `discussion_events_discussion_added` AFTER INSERT ON `discussions`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (new.`essay`, 'discussion-changed', 0, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `discussion_events_discussion_changed` AFTER UPDATE OF `closed`, `pinned_comment_id` ON `discussions`
WHEN new.`closed` IS NOT old.`closed` OR new.`pinned_comment_id` IS NOT old.`pinned_comment_id`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (new.`essay`, 'discussion-changed', 0, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `discussion_events_discussion_removed` AFTER DELETE ON `discussions`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  VALUES (old.`essay`, 'discussion-changed', 0, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
-- A display name changed: one 'author-renamed' event per essay where the account has published
-- comments (naming the latest; the comments_author index finds them), none where it has only held
-- or hidden ones, so the name reaches only pages that show it already.
CREATE TRIGGER `discussion_events_author_renamed` AFTER UPDATE OF `display_name` ON `users`
WHEN new.`display_name` IS NOT old.`display_name`
BEGIN
  INSERT INTO `discussion_events` (`essay`, `kind`, `comment_id`, `from_status`, `at`)
  SELECT `essay`, 'author-renamed', max(`id`), NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER)
  FROM `comments` WHERE `author_id` = new.`id` AND `status` = 'published' GROUP BY `essay`;
END;

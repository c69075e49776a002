// The discussion's words for what a comment can be, shared by the rules, the thread and the
// schema (db/schema.ts takes its column enums from here, so the pure layer imports nothing from db/).

/** published: shown to all; pending: held for review; hidden, spam: removed by a moderator; deleted: a placeholder. */
export const COMMENT_STATUSES = ['published', 'pending', 'hidden', 'spam', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Why a moderator removed a comment, or a reader flagged it. */
export const MODERATION_REASONS = ['spam', 'abuse', 'off-topic', 'other'] as const;
export type ModerationReason = (typeof MODERATION_REASONS)[number];

/** An essay as the discussion needs it: its address, its title and what its front matter says. */
export interface EssayInfo {
  slug: string;
  title: string;
  discussion: 'open' | 'closed';
}

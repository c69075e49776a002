// The words of the discussion's change log (the discussion_events table, filled by the triggers of
// migrations 0005 and 0007): what happened to a comment, a discussion or a commenter's name, never
// what a comment says or who may see it. Who is told what is decided when the event is delivered
// (delivery-rules.ts), from the comment and the discussion as they are then.

export const LIVE_EVENT_KINDS = [
  /** A comment became readable by everyone: posted, or approved after a hold. */
  'comment-published',
  /** A comment is held for review: posted and held, or edited and held again. */
  'comment-held',
  /** Its author changed the text. */
  'comment-edited',
  /** Deleted by its author or a moderator, hidden, marked as spam, or its placeholder went. */
  'comment-removed',
  /** A moderator brought a hidden or spam comment back. */
  'comment-restored',
  /** Its like count changed. */
  'likes-changed',
  /** A moderator closed or reopened the discussion, or pinned or unpinned a comment (comment 0: no one comment). */
  'discussion-changed',
  /** Its author, who has published comments in the essay, changed their display name (one event per essay, naming the latest). */
  'author-renamed',
] as const;

export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number];

// The whole data model. Times are Unix milliseconds unless a column says otherwise;
// sessions.expires_at is in seconds because lucia's drizzle adapter writes it so.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { COMMENT_STATUSES, MODERATION_REASONS, type CommentStatus, type ModerationReason } from '../src/features/discussion/types.ts';
import { LIVE_EVENT_KINDS } from '../src/features/discussion/live/event-kinds.ts';
import { ANCHOR_STATUSES } from '../src/features/passages/blocks.ts';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    // Lower-cased username: uniqueness ignores case.
    usernameKey: text('username_key').notNull(),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['reader', 'admin'] }).notNull().default('reader'),
    bannedAt: integer('banned_at'),
    // Set once a moderator has approved one of the reader's comments: later ones skip the first-comment hold.
    trustedAt: integer('trusted_at'),
    repliesSeenAt: integer('replies_seen_at').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    // The look-alike forms of the username and the display name (src/features/accounts/name-skeleton.ts): a new
    // name whose skeleton is another account's is refused, in one indexed lookup. Written with the
    // name by db/accounts/users.ts; rows written otherwise are filled in when the server starts.
    usernameSkeleton: text('username_skeleton'),
    displayNameSkeleton: text('display_name_skeleton'),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.usernameKey),
    index('users_username_skeleton').on(t.usernameSkeleton),
    index('users_display_name_skeleton').on(t.displayNameSkeleton),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at').notNull(),
    // Coarse only ("Firefox on Linux"): enough to recognise a device, not to fingerprint it.
    device: text('device').notNull().default('Unknown device'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

// The statuses and reasons are the discussion's words (its pure types); the columns take them from there.
export { COMMENT_STATUSES, MODERATION_REASONS, type CommentStatus, type ModerationReason };

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    essay: text('essay').notNull(),
    parentId: integer('parent_id').references((): any => comments.id),
    // The top-level comment of the thread (itself for a top-level comment): pages are cut by thread.
    rootId: integer('root_id'),
    depth: integer('depth').notNull().default(0),
    // Null once the author's account is deleted: the placeholder keeps no link to a person.
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    rendererVersion: integer('renderer_version').notNull(),
    status: text('status', { enum: COMMENT_STATUSES }).notNull().default('published'),
    moderationReason: text('moderation_reason', { enum: MODERATION_REASONS }),
    moderationNote: text('moderation_note'),
    likeCount: integer('like_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    editedAt: integer('edited_at'),
  },
  (t) => [
    // The threads of an essay in order; with status and author, it also answers which page holds a
    // thread (locateComment: a count of the visible threads before it) without reading a row.
    index('comments_essay_thread').on(t.essay, t.parentId, t.createdAt, t.status, t.authorId),
    index('comments_root').on(t.rootId),
    index('comments_parent').on(t.parentId),
    index('comments_author').on(t.authorId, t.createdAt),
    index('comments_status').on(t.status, t.createdAt),
    // Covers the comment count shown on every page view: counted in the index, no row read.
    index('comments_essay_status').on(t.essay, t.status),
  ],
);

// A reader's mark on a comment (a like, a flag): one per reader and comment, gone with either.
const readerMark = () => ({
  commentId: integer('comment_id')
    .notNull()
    .references(() => comments.id, { onDelete: 'cascade' }),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
});

export const likes = sqliteTable(
  'likes',
  {
    ...readerMark(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index('likes_user').on(t.userId)],
);

export const flags = sqliteTable(
  'flags',
  {
    ...readerMark(),
    reason: text('reason', { enum: MODERATION_REASONS }).notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index('flags_user').on(t.userId)],
);

// Per-essay discussion state set by moderators; the front matter gives the default.
export const discussions = sqliteTable('discussions', {
  essay: text('essay').primaryKey(),
  closed: integer('closed', { mode: 'boolean' }),
  pinnedCommentId: integer('pinned_comment_id').references(() => comments.id, { onDelete: 'set null' }),
  updatedAt: integer('updated_at').notNull(),
});

export const moderationLog = sqliteTable(
  'moderation_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    adminId: text('admin_id').references(() => users.id, { onDelete: 'set null' }),
    // Kept so the log still reads after an admin account is deleted.
    adminName: text('admin_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type', { enum: ['comment', 'user', 'essay', 'blocklist', 'setting', 'appeal'] }).notNull(),
    targetId: text('target_id').notNull(),
    reason: text('reason'),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('moderation_log_time').on(t.createdAt), index('moderation_log_admin').on(t.adminId, t.createdAt)],
);

// A reader asks moderators to look again at a held or removed comment of theirs, or at their ban.
export const appeals = sqliteTable(
  'appeals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Null: the appeal is about the ban, or the comment has since been deleted for good.
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'set null' }),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    answeredAt: integer('answered_at'),
    answeredBy: text('answered_by'),
    // The moderator's answer, shown to the reader who appealed.
    answer: text('answer'),
  },
  (t) => [index('appeals_open').on(t.answeredAt, t.createdAt), index('appeals_user').on(t.userId, t.createdAt)],
);

// A reader's comment that led to a correction of its essay, as a moderator linked them (the correction
// is an entry of the essay's front matter, named by its permanent id). One comment per correction; a
// comment may have led to several. The link goes with the comment: with its row (cascade), and when
// it becomes a placeholder (deleted by its author or with the account, or for good by a moderator)
// in the same transaction. The audit log keeps who linked what.
export const correctionLinks = sqliteTable(
  'correction_links',
  {
    correctionId: text('correction_id').primaryKey(),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    linkedBy: text('linked_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('correction_links_comment').on(t.commentId)],
);

export const blocklist = sqliteTable('blocklist', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  phrase: text('phrase').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const pollVotes = sqliteTable(
  'poll_votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    poll: text('poll').notNull(),
    question: text('question').notNull(),
    choice: text('choice').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    // For anonymous readers: a SHA-256 of a random token kept in the reader's own cookie, nothing else.
    voterKey: text('voter_key'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('poll_votes_user').on(t.poll, t.question, t.userId).where(sql`${t.userId} is not null`),
    uniqueIndex('poll_votes_voter').on(t.poll, t.question, t.voterKey).where(sql`${t.voterKey} is not null`),
    index('poll_votes_poll').on(t.poll, t.question, t.choice),
  ],
);

// Sign-in throttling. `key` is a keyed hash of a username or client address, never the plain value.
export const authAttempts = sqliteTable(
  'auth_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('auth_attempts_key').on(t.key, t.createdAt)],
);

// The discussion's change log, for open pages (src/features/discussion/live/): one row per change
// to a comment, written by SQLite triggers on `comments` (migration 0005), and on `discussions`
// and `users` for closing, pinning and renaming (migration 0007), so every write path
// records its events, moderation and the admin command included. It says what happened to which
// comment, never its text or who may read it: that is decided when an event is delivered. `seq`
// is the cursor a stream resumes from (AUTOINCREMENT: never reused, also after trimming); rows
// older than a day, or beyond the last 100,000, are trimmed by a trigger as new ones arrive.
export const discussionEvents = sqliteTable(
  'discussion_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    essay: text('essay').notNull(),
    kind: text('kind', { enum: LIVE_EVENT_KINDS }).notNull(),
    // No foreign key: the event of a removal outlives its comment.
    commentId: integer('comment_id').notNull(),
    // The status before a status change or removal: only ever narrows who is told of a removal.
    fromStatus: text('from_status', { enum: COMMENT_STATUSES }),
    at: integer('at').notNull(),
  },
  (t) => [index('discussion_events_essay').on(t.essay, t.seq)],
);

// "New since your last visit": one row per reader and essay. `seenAt` is the last visit that found
// something new; `newSince` the visit before it, from which comments are marked new (see
// src/features/discussion/live/visit-rules.ts). Gone with the account.
export const discussionVisits = sqliteTable(
  'discussion_visits',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    essay: text('essay').notNull(),
    seenAt: integer('seen_at').notNull(),
    newSince: integer('new_since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.essay] })],
);

// A passage comment's anchor (src/features/passages/): one row per top-level comment written about
// a passage of its essay; replies are ordinary replies. `quote` is the words as the reader quoted
// them, shown with the comment whatever becomes of the essay. `block_id` to `version` is the anchor
// re-anchoring looks for: as the reader made it, or as a moderator re-attached it. `located_*` is
// where it stands in the essay as built now (no block: detached, "on an earlier version of this
// passage"), found again once per essay version (passage_versions). The quote is reader input: it
// goes with the row (cascade) and whenever the comment's text goes (a placeholder, a purge).
export const commentAnchors = sqliteTable(
  'comment_anchors',
  {
    commentId: integer('comment_id')
      .primaryKey()
      .references(() => comments.id, { onDelete: 'cascade' }),
    essay: text('essay').notNull(),
    quote: text('quote').notNull(),
    blockId: text('block_id').notNull(),
    exact: text('exact').notNull(),
    prefix: text('prefix').notNull(),
    suffix: text('suffix').notNull(),
    version: text('version').notNull(),
    locatedBlock: text('located_block'),
    // UTF-16 offsets of the words in the located block's text.
    locatedStart: integer('located_start'),
    locatedEnd: integer('located_end'),
    locatedVersion: text('located_version').notNull(),
    status: text('status', { enum: ANCHOR_STATUSES }).notNull(),
    // When a moderator last re-attached or left a detached comment; cleared when it detaches again.
    reviewedAt: integer('reviewed_at'),
  },
  // The margin's counts: one grouped range scan per essay (the comment id is the row id, so in the index too).
  (t) => [index('comment_anchors_located').on(t.essay, t.locatedBlock)],
);

// When each essay's anchors were last found again, and on which version. Written in the IMMEDIATE
// transaction that re-anchors them; which anchors still need it is each anchor's located_version,
// read again inside that transaction, so of several server processes only one re-anchors.
export const passageVersions = sqliteTable('passage_versions', {
  essay: text('essay').primaryKey(),
  version: text('version').notNull(),
  reanchoredAt: integer('reanchored_at').notNull(),
});

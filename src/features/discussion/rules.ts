// The discussion's rules, each written once, as plain values and pure checks (no I/O): the
// service asks them before it writes, db/discussion asks them again inside the transaction that
// writes, and the thread and the forms ask them to decide what to show. A rule says why not as a
// reason; `refusal(reason)` turns it into the one Refusal the edge maps to an HTTP status.
import type { Reader } from '../accounts/reader.ts';
import { refuse, type Refusal, type RefusalCode } from '../refusal.ts';
import { limitWait, type RateLimit } from '../../lib/rate-limits.ts';
import { hasVisibleCharacter } from '../../lib/visible-text.ts';
import { xmlSafeText } from '../../lib/xml-text.ts';
import { COMMENT_STATUSES, type CommentStatus } from './types.ts';

export const MAX_COMMENT_CHARS = 10_000;
export const EDIT_WINDOW_MS = 15 * 60_000;
export const DUPLICATE_WINDOW_MS = 30_000;
export const PAGE_THREADS = 50;
/** Per account: at most `max` comments within `windowMs`. */
export const RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60_000, max: 5 },
  { windowMs: 60 * 60_000, max: 30 },
];
/**
 * Per account, likes and unlikes: more than anyone reading likes, and a brake on a script toggling
 * one like to make every open page hear of it (an outside review found that unlimited).
 */
export const LIKE_RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60_000, max: 30 },
  { windowMs: 60 * 60_000, max: 300 },
];
/** Per account, edits (each renders Markdown again): generous for fixing typos, a brake on scripts. */
export const EDIT_RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60_000, max: 10 },
  { windowMs: 60 * 60_000, max: 60 },
];

// Every reason the discussion refuses something, with its code and what the reader is told.
const REASONS = {
  'signed-out': ['signed-out', 'Sign in to join the discussion.'],
  banned: ['banned', 'Your account is suspended: you can read the discussion but not take part in it.'],
  'unknown-essay': ['not-found', 'There is no essay with that address, so there is no discussion to join.'],
  closed: ['closed', 'This discussion is closed: it takes no new comments, edits or likes.'],
  'parent-missing': ['not-found', 'The comment you replied to is no longer there. Your text is below: post it as a new comment if you like.'],
  'parent-elsewhere': ['invalid', 'That reply points at a comment under another essay.'],
  'parent-pending': ['conflict', 'The comment you replied to is awaiting moderation; replies can follow once it is published.'],
  missing: ['not-found', 'That comment is no longer there.'],
  'not-author': ['forbidden', 'Only the author of a comment can change it.'],
  'edit-window': ['forbidden', 'Comments can be edited for 15 minutes after posting; that time has passed.'],
  'like-own': ['forbidden', 'You cannot like your own comment.'],
  'like-unpublished': ['forbidden', 'Only published comments can be liked.'],
} as const satisfies Record<string, readonly [RefusalCode, string]>;

export type Reason = keyof typeof REASONS;

/** What the reader is told for a reason (notices say it before anything is refused). */
export const reasonMessage = (reason: Reason): string => REASONS[reason][1];

export function refusal(reason: Reason): Refusal {
  const [code, message] = REASONS[reason];
  return refuse(code, message);
}

/** The refusal for a reason, or null when there is none. */
export const refusalFor = (reason: Reason | null): Refusal | null => (reason === null ? null : refusal(reason));

/** Whoever takes part (posts, edits, likes) is signed in and not suspended. */
export function whyNotTakePart(reader: Reader): Reason | null {
  if (!reader.account) return 'signed-out';
  return reader.may.takePart ? null : 'banned';
}

/** A moderator's setting wins; without one, the essay's front matter decides. */
export function isDiscussionClosed(override: boolean | null, frontMatter: 'open' | 'closed'): boolean {
  return override ?? frontMatter === 'closed';
}

// ---- who may read a comment ------------------------------------------------------------------

type Audience = 'everyone' | 'author and moderators' | 'nobody';

/**
 * Who may see a comment's text anywhere the discussion shows it (threads, permalinks, forms,
 * quotes, flag pages, feeds), by status: published to all; held to its author and moderators;
 * hidden, spam and deleted to nobody outside the admin pages. The page query is built from this
 * table (db/discussion/thread-reads.ts), the thread and the routes call mayReadComment.
 */
export const AUDIENCE: Readonly<Record<CommentStatus, Audience>> = {
  published: 'everyone',
  pending: 'author and moderators',
  hidden: 'nobody',
  spam: 'nobody',
  deleted: 'nobody',
};

/** The statuses one audience may read, in the schema's order. */
export const statusesFor = (audience: Audience): CommentStatus[] => COMMENT_STATUSES.filter((s) => AUDIENCE[s] === audience);

/** Whether the reader wrote this comment. */
export const isAuthor = (comment: { authorId: string | null }, reader: Reader) => reader.account !== null && comment.authorId === reader.account.id;

export function mayReadComment(comment: { status: string; authorId: string | null }, reader: Reader): boolean {
  const audience = AUDIENCE[comment.status as CommentStatus];
  if (audience === 'everyone') return true;
  return audience === 'author and moderators' && (reader.may.moderate || isAuthor(comment, reader));
}

/**
 * The comment quoted above a reply form: one that takes replies, or the reader's own held one.
 * Moderators read held comments in the thread and the admin pages; a reply form quotes them not.
 */
export function mayQuoteAsParent(comment: { status: string; authorId: string | null }, reader: Reader): boolean {
  return AUDIENCE[comment.status as CommentStatus] === 'everyone' || (isAuthor(comment, reader) && mayReadComment(comment, reader));
}

// ---- writing -----------------------------------------------------------------------------------

export type BodyCheck = { ok: true; body: string } | Refusal;

/** Characters are counted as a reader would: by code point, not UTF-16 unit. */
export function checkBody(raw: unknown): BodyCheck {
  // Characters no feed or page can carry (NUL, other controls, lone surrogates) are dropped, not stored.
  const body = typeof raw === 'string' ? xmlSafeText(raw.replace(/\r\n?/g, '\n')) : '';
  // Only invisible characters (zero-width spaces, fillers, soft hyphens) is empty to a reader: the rule names share.
  if (!hasVisibleCharacter(body)) return refuse('invalid', 'Write something first: the comment is empty.', { field: 'body' });
  const length = [...body].length;
  if (length > MAX_COMMENT_CHARS) {
    const message = `A comment can be at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters; this one has ${length.toLocaleString('en')}.`;
    return refuse('invalid', message, { field: 'body' });
  }
  return { ok: true, body: body.trimEnd() };
}

/**
 * A reply needs a parent shown to everyone, under the same essay. One the reader may not read is
 * missing to them, as one that never was: a held comment's existence is not told to others.
 */
export function whyNotReplyTo(parent: { essay: string; status: string; authorId: string | null } | undefined, essay: string, reader: Reader): Reason | null {
  if (!parent || !mayReadComment(parent, reader)) return 'parent-missing';
  if (parent.essay !== essay) return 'parent-elsewhere';
  return AUDIENCE[parent.status as CommentStatus] === 'everyone' ? null : 'parent-pending';
}

/** The edit window: an author may change a comment for 15 minutes after posting. */
export function canEdit(createdAt: number, now: number): boolean {
  return now - createdAt <= EDIT_WINDOW_MS;
}

type Authored = { status: string; authorId: string | null; createdAt: number };

/**
 * May this reader edit this comment now: it is shown (published or held), theirs, in the window,
 * they take part, and its discussion is open (`closed`: isDiscussionClosed for its essay; a closed
 * discussion takes no edits, as it takes no comments or likes).
 */
export function whyNotEdit(comment: Authored | undefined, reader: Reader, now: number, closed: boolean): Reason | null {
  const out = whyNotTakePart(reader);
  if (out) return out;
  // What the reader may not read is missing to them (not "not yours"), so a held comment's existence is not told.
  if (!comment || !mayReadComment(comment, reader)) return 'missing';
  if (!isAuthor(comment, reader)) return 'not-author';
  // The window before the closing: reopening cannot bring back an edit whose time has passed.
  if (!canEdit(comment.createdAt, now)) return 'edit-window';
  return closed ? 'closed' : null;
}

/** An author may take their comment back at any time, suspended or not: it is their data. */
export function whyNotDelete(comment: { status: string; authorId: string | null } | undefined, reader: Reader): Reason | null {
  if (!reader.account) return 'signed-out';
  if (!comment || comment.status === 'deleted') return 'missing';
  if (isAuthor(comment, reader)) return null;
  return mayReadComment(comment, reader) ? 'not-author' : 'missing';
}

/** Likes go to others' published comments (whether the discussion is open is asked apart). */
export function whyNotLike(comment: { status: string; authorId: string | null } | undefined, reader: Reader): Reason | null {
  const out = whyNotTakePart(reader);
  if (out) return out;
  if (!comment || !mayReadComment(comment, reader)) return 'missing';
  if (AUDIENCE[comment.status as CommentStatus] !== 'everyone') return 'like-unpublished';
  return isAuthor(comment, reader) ? 'like-own' : null;
}

/** Whole seconds until the rate limits allow another comment, given the author's recent attempt times. */
export function rateLimitWait(recent: readonly number[], now: number): number {
  return limitWait(recent, RATE_LIMITS, now);
}

export function rateLimited(wait: number, doing: 'posting' | 'liking' = 'posting'): Refusal {
  const limits = doing === 'liking' ? '30 likes a minute, 300 an hour' : '5 comments a minute, 30 an hour; 10 edits a minute, 60 an hour';
  const then = doing === 'liking' ? 'and try again.' : 'and try again: your text is kept below.';
  return refuse('rate-limited', `You are ${doing} faster than the discussion allows (${limits}). Wait ${wait} second${wait === 1 ? '' : 's'} ${then}`, { retryAfterSeconds: wait });
}

/** Page n (from 1) of a discussion as a query-string value; junk reads as page 1. */
export function parsePage(value: string | null | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

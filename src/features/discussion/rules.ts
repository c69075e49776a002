// The discussion's rules as plain values and pure checks, shared by db/ and the routes.
import { limitWait, type RateLimit } from '../../lib/rate-limits.ts';
import { xmlSafeText } from '../../lib/xml-text.ts';

export const MAX_COMMENT_CHARS = 10_000;
export const EDIT_WINDOW_MS = 15 * 60_000;
export const DUPLICATE_WINDOW_MS = 30_000;
export const PAGE_THREADS = 50;
/** Per account: at most `max` comments within `windowMs`. */
export const RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60_000, max: 5 },
  { windowMs: 60 * 60_000, max: 30 },
];
/** Per account, edits (each renders Markdown again): generous for fixing typos, a brake on scripts. */
export const EDIT_RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60_000, max: 10 },
  { windowMs: 60 * 60_000, max: 60 },
];

export type BodyCheck = { ok: true; body: string } | { ok: false; message: string };

/** Characters are counted as a reader would: by code point, not UTF-16 unit. */
export function checkBody(raw: unknown): BodyCheck {
  // Characters no feed or page can carry (NUL, other controls, lone surrogates) are dropped, not stored.
  const body = typeof raw === 'string' ? xmlSafeText(raw.replace(/\r\n?/g, '\n')) : '';
  if (body.trim() === '') return { ok: false, message: 'Write something first: the comment is empty.' };
  const length = [...body].length;
  if (length > MAX_COMMENT_CHARS) {
    return {
      ok: false,
      message: `A comment can be at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters; this one has ${length.toLocaleString('en')}.`,
    };
  }
  return { ok: true, body: body.trimEnd() };
}

/**
 * Whether a reader may see a comment's text anywhere the discussion shows it (threads, permalinks,
 * forms, quotes, flag pages, feeds): published to all; held to its author and moderators; hidden,
 * spam and deleted to nobody outside the admin pages.
 */
export function mayReadComment(
  comment: { status: string; authorId: string | null },
  reader: { id: string; moderator: boolean } | null,
): boolean {
  if (comment.status === 'published') return true;
  if (comment.status !== 'pending' || !reader) return false;
  return reader.moderator || (comment.authorId !== null && comment.authorId === reader.id);
}

/** A moderator's setting wins; without one, the essay's front matter decides. */
export function isDiscussionClosed(override: boolean | null, frontMatter: 'open' | 'closed'): boolean {
  return override ?? frontMatter === 'closed';
}

export function canEdit(createdAt: number, now: number): boolean {
  return now - createdAt <= EDIT_WINDOW_MS;
}

/** Whole seconds until the rate limits allow another comment, given the author's recent attempt times. */
export function rateLimitWait(recent: readonly number[], now: number): number {
  return limitWait(recent, RATE_LIMITS, now);
}

/** Page n (from 1) of a discussion as a query-string value; junk reads as page 1. */
export function parsePage(value: string | null | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

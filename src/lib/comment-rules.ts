// The discussion's rules as plain values and pure checks, shared by db/ and the routes.

export const MAX_COMMENT_CHARS = 10_000;
export const EDIT_WINDOW_MS = 15 * 60_000;
export const DUPLICATE_WINDOW_MS = 30_000;
export const PAGE_THREADS = 50;
/** Per account: at most `max` comments within `windowMs`. */
export const RATE_LIMITS = [
  { windowMs: 60_000, max: 5 },
  { windowMs: 60 * 60_000, max: 30 },
] as const;

export type BodyCheck = { ok: true; body: string } | { ok: false; message: string };

/** Characters are counted as a reader would: by code point, not UTF-16 unit. */
export function checkBody(raw: unknown): BodyCheck {
  const body = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n') : '';
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

/** A moderator's setting wins; without one, the essay's front matter decides. */
export function isDiscussionClosed(override: boolean | null, frontMatter: 'open' | 'closed'): boolean {
  return override ?? frontMatter === 'closed';
}

export function canEdit(createdAt: number, now: number): boolean {
  return now - createdAt <= EDIT_WINDOW_MS;
}

/** Whole seconds until the rate limits allow another comment, given the author's recent comment times. */
export function rateLimitWait(recent: readonly number[], now: number): number {
  let wait = 0;
  for (const { windowMs, max } of RATE_LIMITS) {
    const inWindow = recent.filter((t) => t > now - windowMs).sort((a, b) => b - a);
    if (inWindow.length >= max) wait = Math.max(wait, inWindow[max - 1]! + windowMs - now);
  }
  return Math.ceil(wait / 1000);
}

/** Page n (from 1) of a discussion as a query-string value; junk reads as page 1. */
export function parsePage(value: string | null | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

// Validators and cache marks for the discussion's responses (the island, the discussion pages,
// the comment feeds): an ETag a browser or a shared cache sends back in If-None-Match, answered
// with 304 before anything is rendered, and the Cache-Control that says who may keep a copy.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { dataVersion } from '../../db/data-version.ts';
import { perConnection } from '../../db/prepared.ts';

/** The discussion's readable answers that carry validators (server/cacheable-routes.ts). */
export type CacheableKind = 'island' | 'discussion' | 'feed';

/** What such an answer varies by besides its address (Accept-Encoding: it is sent compressed). */
export function varyOf(kind: CacheableKind): string {
  return kind === 'discussion' ? 'Cookie, X-Discussion-Fragment, Accept-Encoding' : 'Cookie, Accept-Encoding';
}

/** How long (seconds) a shared cache may serve what signed-out readers get without asking. */
export const SHARED_MAX_AGE_SECONDS = 10;

/**
 * For signed-out readers: a shared cache (nginx, a CDN) serves one copy to all of them for 10 s,
 * and an older one for 30 s more while it fetches the next. Browsers keep it too but ask again
 * each time (max-age=0), with the ETag, so a reader who has just signed in, or commented in
 * another tab, never sees a copy from before: the answer is a cheap 304 when nothing changed.
 */
export const SHARED_CACHE_CONTROL = `public, max-age=0, s-maxage=${SHARED_MAX_AGE_SECONDS}, stale-while-revalidate=30`;

/** For a signed-in reader: their browser alone may keep it, and asks again (ETag) before each use. */
export const PERSONAL_CACHE_CONTROL = 'private, no-cache';

/**
 * Relative times ("3 minutes ago") are in the markup: a tag made from the database's state
 * stands for at most this long, so a 304 keeps none of them stale for longer than the render
 * cache already does (features/discussion/render-cache.ts keeps renderings as long).
 */
export const TAG_LIFETIME_MS = 30_000;

// data_version is counted per connection: the same number on another connection (another
// worker, this process after a restart or a deploy) may stand for another state of the database.
// A random token per connection keeps one connection's tags from ever matching another's.
const connectionToken = perConnection(() => randomBytes(12).toString('base64url'));

const digest = (data: string | Uint8Array) => createHash('sha256').update(data).digest('base64url').slice(0, 27);

/**
 * A weak tag for a response made from the database as it is now and `parts` (who reads, the
 * address, the page, the form of the answer; `now` when the markup shows relative times).
 * Weak: the same state compressed either way, or rendered a moment apart, is the same answer.
 */
export async function stateTag(db: Db, parts: readonly string[], now?: number): Promise<string> {
  const when = now === undefined ? '' : String(Math.floor(now / TAG_LIFETIME_MS));
  return `W/"${digest([connectionToken(db), await dataVersion(db), when, ...parts].join('\n'))}"`;
}

/** A weak tag for a body itself: the same bytes have the same tag in every process. */
export function contentTag(body: Uint8Array): string {
  return `W/"${digest(body)}"`;
}

/** If-None-Match against a tag, by weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag. */
export function matchesTag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/** The 304 for a matched tag: the validator and the cache headers the full answer would carry. */
export function notModified(headers: Record<string, string>): Response {
  return new Response(null, { status: 304, headers });
}

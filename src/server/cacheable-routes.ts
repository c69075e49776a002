// The discussion's readable answers that carry a validator and cache marks: the island (for a
// signed-in reader; signed-out readers get the shared rendering of render-cache.ts, marked the
// same way), the on-demand discussion pages and their fragments, and the comment feeds. Asked by
// the middleware for GET and HEAD, after the session is known and before anything is rendered.
//
// What such an answer depends on, and so what its tag is made of: the database (its version),
// who reads (account id, or signed out), the address with its query (essay, page, sort), whether
// the script asked for a fragment, and for the discussion's markup the time (relative times).
// Nothing else reaches them: no flash notice, no form token (forms are checked by origin). An
// answer that sets a cookie gets no tag and no shared-cache mark.
import type { APIContext, MiddlewareNext } from 'astro';
import type { Db } from '../../db/client.ts';
import { addToList } from './accept-encoding.ts';
import { matchesTag, notModified, PERSONAL_CACHE_CONTROL, SHARED_CACHE_CONTROL, stateTag, varyOf, type CacheableKind } from './conditional-get.ts';

export const ISLAND_PATH = '/_server-islands/Discussion';
const FEED = /^\/discussion\/(?:[^/]+\/)?feed\.xml$/;
const DISCUSSION_PAGE = /^\/discussion\/[^/]+\/?$/;

export function cacheableKind(pathname: string): CacheableKind | null {
  if (pathname === ISLAND_PATH) return 'island';
  if (FEED.test(pathname)) return 'feed';
  if (DISCUSSION_PAGE.test(pathname)) return 'discussion';
  return null;
}

/** What of Astro's context this needs (tests pass just that). */
export type CacheableContext = Pick<APIContext, 'request' | 'url'> & { cookies: Pick<APIContext['cookies'], 'headers'> };

/** Whether anything this request did so far sets a cookie (a refreshed or cleared session). */
const setsCookie = (context: CacheableContext) => !context.cookies.headers().next().done;

/**
 * Answers If-None-Match with 304 when the tag still holds, without rendering; otherwise renders
 * and marks a plain 200 with the tag and who may keep it: shared caches for readers without a
 * session cookie (`anonymous`), only the reader's own browser otherwise.
 */
export async function conditionalResponse(
  context: CacheableContext,
  next: MiddlewareNext,
  options: { db: Db; kind: CacheableKind; anonymous: boolean; accountId: string | null; now?: number },
): Promise<Response> {
  const { db, kind, anonymous, accountId } = options;
  const request = context.request;
  const parts = [
    kind,
    context.url.pathname + context.url.search,
    request.headers.get('x-discussion-fragment') === '1' ? 'fragment' : 'whole',
    anonymous ? 'signed out' : `account ${accountId ?? '-'}`,
  ];
  // The feeds show dates, not "3 minutes ago": their tags need no clock.
  const tag = await stateTag(db, parts, kind === 'feed' ? undefined : (options.now ?? Date.now()));
  const cacheControl = anonymous ? SHARED_CACHE_CONTROL : PERSONAL_CACHE_CONTROL;
  if (matchesTag(request.headers.get('if-none-match'), tag) && !setsCookie(context)) {
    return notModified({ etag: tag, 'cache-control': cacheControl, vary: varyOf(kind) });
  }
  const response = await next();
  if (response.status !== 200 || response.headers.has('set-cookie') || setsCookie(context)) return response;
  response.headers.set('etag', tag);
  response.headers.set('cache-control', cacheControl);
  let vary = response.headers.get('vary');
  for (const name of varyOf(kind).split(', ')) vary = addToList(vary, name);
  response.headers.set('vary', vary!);
  return response;
}

// A route asked with a method it does not take answers 405 with the methods it does take (RFC 9110
// §15.5.6: a 405 says them in Allow), a short plain text, never cached. One answer wherever it is
// decided: the middleware, for methods no route takes; the moderation pages without a form, for a
// POST; the endpoints, for the methods they do not export (Astro answered those with its 404 page
// and a warning in the log for each request).
//
// Pages take GET and POST alike: a form page shows its form or takes it. /comments/new is one (its
// GET is the reply form for readers without JavaScript), and a like's address followed as a link
// goes to the comment; neither is a POST-only route.
import type { APIRoute } from 'astro';

export function methodNotAllowed(allow: string): Response {
  return new Response('Method not allowed.', { status: 405, headers: { allow, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/** An endpoint that only takes posts: `export const ALL = ONLY_POST` (Astro asks ALL for every method the module does not export). */
export const ONLY_POST: APIRoute = () => methodNotAllowed('POST');

/** An endpoint that only reads: `export const POST = ONLY_GET` (not ALL: Astro asks ALL for a HEAD before it falls back on GET). */
export const ONLY_GET: APIRoute = () => methodNotAllowed('GET, HEAD');

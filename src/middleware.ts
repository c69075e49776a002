import { defineMiddleware } from 'astro:middleware';
import { sessionFromCookies } from './auth/index.ts';
import { readCapped } from './lib/form-body.ts';
import { formEncodingProblem } from './lib/form-encoding.ts';

// The site reads pages and takes form posts; nothing else is a request it understands.
const METHODS = new Set(['GET', 'HEAD', 'POST']);
// Far above any form of the site (a 10,000-character comment, percent-escaped, is under 120 KB).
const FORM_LIMIT = 256 * 1024;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/**
 * Bodies no route could read as typed text are refused before any route sees them. Browsers send
 * forms with a Content-Length, so a form without one (chunked) is refused rather than buffered
 * without bound, and one that declares more than FORM_LIMIT is refused unread.
 */
async function malformedForm(request: Request): Promise<Response | null> {
  const type = request.headers.get('content-type') ?? '';
  if (request.method !== 'POST' || !FORM_TYPES.test(type)) return null;
  const declared = request.headers.get('content-length');
  if (declared === null) return refuse(411, 'A form submission must say its length.');
  if (Number(declared) > FORM_LIMIT) return refuse(413, 'That form submission is too large.');
  const bytes = await readCapped(request.clone(), FORM_LIMIT);
  if (!bytes) return refuse(413, 'That form submission is too large.');
  const problem = formEncodingProblem(bytes, type);
  return problem ? refuse(400, `That form submission could not be read: ${problem}`) : null;
}

export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  // Prerendered pages are built once for everybody: they never see a session.
  if (context.isPrerendered) return next();
  if (!METHODS.has(context.request.method)) return refuse(405, 'Method not allowed.', { allow: 'GET, HEAD, POST' });
  const refused = await malformedForm(context.request);
  if (refused) return refused;
  const { user, session } = await sessionFromCookies(context.cookies);
  context.locals.user = user;
  context.locals.session = session;
  return next();
});

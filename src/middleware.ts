import { defineMiddleware } from 'astro:middleware';
import { database } from '../db/connection.ts';
import { auth, authContext, sessionFromCookies } from './features/accounts/auth.ts';
import { readerOf, SIGNED_OUT } from './features/accounts/reader.ts';
import { discussionPosts } from './features/discussion/direct-posts.ts';
import { findEssay } from './features/discussion/essays.ts';
import { keptIsland, sharedIsland } from './features/discussion/render-cache.ts';
import { FORM_LIMIT, readCapped } from './http/form-body.ts';
import { formBodyProblem, formHeadProblem } from './http/form-checks.ts';
import { methodNotAllowed } from './http/methods.ts';
import { cacheableKind, conditionalResponse, ISLAND_PATH } from './server/cacheable-routes.ts';
import { decidePostsDirectly } from './server/direct-posts.ts';
import { joinedResponse } from './server/joined-response.ts';
import { keepAnswersReady } from './server/ready-answers.ts';

// The site reads pages and takes form posts; nothing else is a request it understands.
const METHODS = new Set(['GET', 'HEAD', 'POST']);
// Astro's island endpoint takes a JSON body when an island's props are too long for a URL. Ours
// never are, but the endpoint is public: its body is checked here so junk gets a 400, not a 500.
const ISLAND_PREFIX = '/_server-islands/';
const ISLAND_BODY_LIMIT = 64 * 1024;
const ISLAND_FIELDS = ['encryptedComponentExport', 'encryptedProps', 'encryptedSlots'] as const;

const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/** Bodies no route could read as typed text are refused before any route sees them (http/form-checks.ts). */
async function malformedForm(request: Request): Promise<Response | null> {
  if (request.method !== 'POST') return null;
  const type = request.headers.get('content-type') ?? '';
  const problem =
    formHeadProblem(type, request.headers.get('content-length')) ?? formBodyProblem(await readCapped(request.clone(), FORM_LIMIT), type);
  return problem ? refuse(problem.status, problem.message) : null;
}

/** A POST to a server island must be a JSON object of the three encrypted strings, and small. */
async function malformedIslandPost(request: Request): Promise<Response | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > ISLAND_BODY_LIMIT) return refuse(413, 'That request is too large.');
  const bytes = await readCapped(request.clone(), ISLAND_BODY_LIMIT);
  if (!bytes) return refuse(413, 'That request is too large.');
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    data = null;
  }
  const wellFormed =
    typeof data === 'object' && data !== null && !Array.isArray(data) && ISLAND_FIELDS.every((f) => typeof (data as Record<string, unknown>)[f] === 'string');
  return wellFormed ? null : refuse(400, 'That island request could not be read.');
}

// The discussion island is the same for every signed-out reader until the database changes:
// the discussion's render cache serves it (features/discussion/render-cache.ts), compressed and
// with its validator. The island for signed-in readers, the discussion pages and the feeds get a
// validator and their cache marks from server/cacheable-routes.ts, which answers a matching
// If-None-Match with 304 before they render.
// A signed-out reader's island, once kept, is answered before a request reaches Astro
// (server/ready-answers.ts): the same rendering, from the same cache, for the same readers as below.
keepAnswersReady((request) => keptIsland(database(), auth().sessionCookieName, request));
// Likes and new comments are decided before a request reaches Astro (server/direct-posts.ts),
// through the checks this middleware makes and the same handlers as their pages.
decidePostsDirectly(discussionPosts(() => ({ db: database(), auth: authContext(), essayOf: findEssay })));

export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.reader = SIGNED_OUT;
  context.locals.session = null;
  // Prerendered pages are built once for everybody: they never see a session.
  if (context.isPrerendered) return next();
  if (!METHODS.has(context.request.method)) return methodNotAllowed('GET, HEAD, POST');
  const isIslandPost = context.request.method === 'POST' && context.url.pathname.startsWith(ISLAND_PREFIX);
  const refused = isIslandPost ? await malformedIslandPost(context.request) : await malformedForm(context.request);
  if (refused) return refused;
  const { user, session } = await sessionFromCookies(context.cookies);
  context.locals.reader = readerOf(user);
  context.locals.session = session;
  const anonymous = !user && !context.cookies.has(auth().sessionCookieName);
  const reading = context.request.method === 'GET' || context.request.method === 'HEAD';
  if (anonymous && reading && context.url.pathname === ISLAND_PATH) return sharedIsland(database(), context.url, next, context.request.headers);
  const kind = reading ? cacheableKind(context.url.pathname) : null;
  if (!kind) return next();
  const response = await conditionalResponse(context, next, { db: database(), kind, anonymous, accountId: user?.id ?? null });
  // A signed-in reader's island: the threads they share with others go compressed once (server/joined-response.ts).
  const shared = context.locals.sharedThreads;
  return shared ? joinedResponse(context.request, response, shared) : response;
});

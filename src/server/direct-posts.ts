// Form posts the site decides before Astro's pipeline: a like and a new comment, the writes
// readers make most. Through Astro each cost a Request, the middleware's second reading of the
// body, a page render and the hashing of its inline styles for the CSP (about half of a like's
// main-thread time: tests/bench/README.md). The site says which posts it takes
// (features/discussion/direct-posts.ts, registered by src/middleware.ts); this layer reads their
// bodies and sends what the site answers. When the site answers "Astro", the request goes on with
// its body (Astro reads `req.body` when set) and, if the site already acted on it, the outcome
// under a token in HANDED_HEADER, so the page renders that outcome instead of acting again.
// Nothing here decides who may do what.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { sendAnswer, type ReadyAnswer } from './ready-answers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A post as it arrives, before its body is read. */
export interface PostHead {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Whether the connection is TLS (Astro's idea of the request's protocol). */
  readonly encrypted: boolean;
}

/** A post the site claimed, read whole. */
export interface DirectPost extends PostHead {
  readonly body: Buffer;
}

/** Sent as it is; or left to Astro, with what the site already did (`handed`) for the page to show. */
export type DirectOutcome = { send: ReadyAnswer } | { astro: true; handed?: unknown };

export interface DirectPoster {
  /** Whether a POST is one the site decides here, by what costs nothing: its address and headers. */
  claims(head: PostHead): boolean;
  decide(post: DirectPost): Promise<DirectOutcome>;
}

/** On a request, set by this layer over any value a client sent: the token of an outcome handed to the page. */
export const HANDED_HEADER = 'x-handed-outcome';

// This module runs twice in a server process, as the server loads it and bundled into the site,
// so the poster and the handed outcomes are kept under global names both see.
const POSTER = Symbol.for('the-convenience-bargain/direct-poster');
const HANDED = Symbol.for('the-convenience-bargain/handed-outcomes');
/** What a page is handed: the site's outcome, or the error deciding it failed with. */
type Handed = { outcome: unknown } | { error: unknown };
const global = globalThis as typeof globalThis & { [POSTER]?: DirectPoster; [HANDED]?: Map<string, Handed> };
const handedOutcomes = (global[HANDED] ??= new Map<string, Handed>());

/** How many handed outcomes wait for their page (tests: none may be left behind). */
export function handedOutcomesWaiting(): number {
  return handedOutcomes.size;
}

/** Called by the site once it has loaded: from then on the posts `poster` claims are decided by it. */
export function decidePostsDirectly(poster: DirectPoster | undefined): void {
  global[POSTER] = poster;
}

/**
 * The outcome this layer handed to the page answering `headers`' request, taken out (once); the
 * page renders it instead of acting again. Undefined when nothing was handed; throws what deciding
 * it threw, so the page fails as it would have failed deciding it itself.
 */
export function takeHandedOutcome<T>(headers: Headers): T | undefined {
  const token = headers.get(HANDED_HEADER);
  const handed = token ? handedOutcomes.get(token) : undefined;
  if (!handed) return undefined;
  handedOutcomes.delete(token!);
  if ('error' in handed) throw handed.error;
  return handed.outcome as T;
}

/** The body of a claimed post, whole (Node holds it to its Content-Length); null if the client left. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // After 'end' these change nothing; before it, the client left mid-body.
    req.on('error', () => resolve(null));
    req.once('close', () => resolve(null));
  });
}

/** Passes the request on to Astro with its body, and what is handed to its page if anything. */
function onToAstro(handler: Handler, req: IncomingMessage, res: ServerResponse, body: Buffer, handed: Handed | undefined): void {
  (req as IncomingMessage & { body?: Buffer }).body = body;
  if (handed) {
    // The client left while it was decided: there is no one to show it to, and a response already
    // closed would never tell the entry to go.
    if (res.destroyed) return;
    const token = randomUUID();
    handedOutcomes.set(token, handed);
    req.headers[HANDED_HEADER] = token;
    // A page that never took it (Astro refused the request first) lets it go with the response.
    res.once('close', () => handedOutcomes.delete(token));
  }
  handler(req, res);
}

async function decideDirectly(poster: DirectPoster, head: PostHead, handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (body === null) {
    res.destroy();
    return;
  }
  let outcome: DirectOutcome;
  try {
    outcome = await poster.decide({ ...head, body });
  } catch (error) {
    // The page then fails with it, through Astro's error page and log.
    onToAstro(handler, req, res, body, { error });
    return;
  }
  if ('send' in outcome) sendAnswer(res, outcome.send);
  else onToAstro(handler, req, res, body, outcome.handed === undefined ? undefined : { outcome: outcome.handed });
}

export function withDirectPosts(handler: Handler): Handler {
  return (req, res) => {
    // Only this layer hands outcomes: a client's value never reaches a page.
    delete req.headers[HANDED_HEADER];
    const poster = global[POSTER];
    const head: PostHead = { url: req.url ?? '', headers: req.headers, encrypted: 'encrypted' in req.socket && req.socket.encrypted === true };
    if (req.method !== 'POST' || !poster || !poster.claims(head)) {
      handler(req, res);
      return;
    }
    void decideDirectly(poster, head, handler, req, res);
  };
}

// Answers the site already has, served before Astro's pipeline: the signed-out discussion island,
// kept whole and compressed by its render cache, is most of what the server is asked for, and
// through Astro each copy cost a Request, a context, the middleware and the adapter's copying
// (~0.5 ms of main thread and the garbage that makes V8 collect more often, which is where open
// live streams cost reads most: tests/bench/README.md). The site says which requests it can
// answer at once (features/discussion/render-cache.ts, asked through src/middleware.ts); this
// layer sends what it says and passes everything else on. Nothing here decides who may see what.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What a ready answer is given of its request: read-only, and only for GET and HEAD. */
export interface ReadyRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface ReadyAnswer {
  status: number;
  headers: [string, string][];
  /** Sent as it is (already encoded, if its headers say so); null for a 304. */
  body: Uint8Array | null;
}

/** Answers a request at once, or returns null to leave it to Astro. Synchronous: it may not wait. */
export type ReadyAnswerer = (request: ReadyRequest) => ReadyAnswer | null;

// This module runs twice in a server process, as the server loads it and bundled into the site
// (which says what it can answer), so the answerer is kept under a global name both see.
const ANSWERER = Symbol.for('the-convenience-bargain/ready-answerer');
const global = globalThis as typeof globalThis & { [ANSWERER]?: ReadyAnswerer };

/** Called by the site once it has loaded: from then on `answerer` is asked first. */
export function keepAnswersReady(answerer: ReadyAnswerer | undefined): void {
  global[ANSWERER] = answerer;
}

/** The answer kept ready for `req`, if any; an answerer that fails leaves the request to Astro. */
function readyAnswer(req: IncomingMessage): ReadyAnswer | null {
  const answerer = global[ANSWERER];
  if (!answerer || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
  try {
    return answerer({ url: req.url ?? '', headers: req.headers });
  } catch (error) {
    // Astro then answers it; the fault is this layer's to report.
    console.error('A ready answer failed; the request goes on to Astro:', error);
    return null;
  }
}

/** Sends an answer whole (server/direct-posts.ts sends its own the same way). */
export function sendAnswer(res: ServerResponse, answer: ReadyAnswer): void {
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  // Node's response to a HEAD sends the head alone, whatever end() is given.
  res.end(answer.body ?? undefined);
}

export function withReadyAnswers(handler: Handler): Handler {
  return (req, res) => {
    const answer = readyAnswer(req);
    if (answer) sendAnswer(res, answer);
    else handler(req, res);
  };
}

// How responses leave the server, around Astro's handler, outermost first:
// 1. the shared-cache guard: nothing that sets a cookie or answers a session is left public, and
//    no 304 replaces the Content-Security-Policy stored with the full response;
// 2. answers the site keeps ready, sent before Astro's pipeline (ready-answers.ts): the
//    signed-out discussion island, from its cache (features/discussion/render-cache.ts);
// 3. static files from the build's Brotli and gzip copies (precompressed-static.ts);
// 4. everything else compressed as it is sent, where it is not already (compress-response.ts);
// 5. likes and new comments decided before Astro's pipeline (direct-posts.ts), the rest passed on;
// 6. a live stream handed out of Astro's pipeline once admitted (stream-hand-off.ts), its connection
//    to the stream holder's process where one is given (held-streams.ts).
// The signed-out discussion island is compressed once per database version by its own cache
// (features/discussion/render-cache.ts) and passes 4 untouched when Astro renders it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withCompression } from './compress-response.ts';
import { withDirectPosts } from './direct-posts.ts';
import { withNotModifiedHeaders } from './not-modified-headers.ts';
import { withPrecompressedStatic } from './precompressed-static.ts';
import { withReadyAnswers } from './ready-answers.ts';
import { withSharedCacheGuard } from './shared-cache-guard.ts';
import { withStreamHandOff, type StreamKeeper } from './stream-hand-off.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

// lucia's session cookie (features/accounts/lucia.ts; a test keeps the two the same). Not imported
// from there: this runs before the built site loads, and lucia's imports cost memory twice.
export const SESSION_COOKIE = 'session';

export function withDelivery(astro: Handler, clientDir: string, streams: StreamKeeper | null = null): Handler {
  return withNotModifiedHeaders(withSharedCacheGuard(withReadyAnswers(withPrecompressedStatic(withCompression(withDirectPosts(withStreamHandOff(astro, streams))), clientDir)), SESSION_COOKIE));
}

// The live discussion's one route handler: admits a stream under the limits, answers its headers,
// and hands it to this process's watcher. The route (src/pages/discussion/[essay]/events.ts) only
// reads the request.
import type { Db } from '../../../../db/client.ts';
import { latestEventSeq } from '../../../../db/discussion/events.ts';
import type { Reader } from '../../accounts/reader.ts';
import type { EssayInfo } from '../types.ts';
import { networkOf } from '../../../lib/client-network.ts';
import { RETRY_MS } from './delivery-rules.ts';
import { LiveStream } from './streams.ts';
import { LiveWatcher } from './watcher.ts';
import { offerStream } from '../../../server/stream-hand-off.ts';

const watchers = new WeakMap<Db, LiveWatcher>();

/** The process's one watcher over this database connection. */
export function liveWatcher(db: Db, essayOf: (slug: string) => Promise<EssayInfo | null>): LiveWatcher {
  let watcher = watchers.get(db);
  if (!watcher) watchers.set(db, (watcher = new LiveWatcher(db, essayOf)));
  return watcher;
}

export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // Per reader and never finished: no cache keeps it, no proxy transforms (compresses) or buffers it.
  'cache-control': 'private, no-store, no-transform',
  'x-accel-buffering': 'no',
} as const;

const refuse = (status: number, message: string, retryAfter?: number) =>
  new Response(`${message}\n`, {
    status,
    // The connection closes with the refusal: one address could otherwise keep hundreds of them idle.
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close', ...(retryAfter ? { 'retry-after': String(retryAfter) } : {}) },
  });

export interface StreamRequest {
  db: Db;
  essay: EssayInfo;
  reader: Reader;
  /** The session id the reader came with, looked up again before a privileged rendering. */
  sessionId: string | null;
  /** The client's address: whose streams a signed-out reader's count as. */
  address: string;
  /** The last event the page has (Last-Event-ID, else ?since=); null: from now on. */
  since: number | null;
  /** A HEAD request: the headers only. */
  head: boolean;
  /** The token under which the server takes the stream out of Astro's pipeline once it is admitted (server/stream-hand-off.ts); null: it cannot. */
  handOff: string | null;
  essayOf: (slug: string) => Promise<EssayInfo | null>;
}

export async function openEventStream(request: StreamRequest): Promise<Response> {
  if (request.head) return new Response(null, { status: 200, headers: STREAM_HEADERS });
  const watcher = liveWatcher(request.db, request.essayOf);
  // Counted by network: one subscriber may use any address of an IPv6 /64.
  const network = `address ${networkOf(request.address)}`;
  // Before anything is made for it.
  if (!watcher.streams.mayOpen(network)) return refuse(429, 'Too many live discussions were opened from here in the last minute; the page works without one.', 60);
  const owner = request.reader.account ? `account ${request.reader.account.id}` : network;
  const stream = new LiveStream(request.db, request.essay.slug, request.reader, request.sessionId, owner, network, watcher);
  // Offered before anything is sent, so what is sent waits for the socket (server/stream-hand-off.ts).
  const handOff = request.handOff ? { token: request.handOff, take: stream.offered() } : null;
  // The browser's wait before reconnecting, first, so it applies to this connection's drop too.
  stream.send(new TextEncoder().encode(`retry: ${RETRY_MS}\n\n`));
  const admission = await watcher.open(stream, request.since ?? latestEventSeq(request.db));
  if (admission === 'server-full') return refuse(503, 'Too many live discussions are open on this server; the page works without one.', 30);
  if (admission === 'too-many') return refuse(429, 'Too many live discussions are open from here; close a tab or two.', 30);
  if (handOff) {
    offerStream(handOff.token, handOff.take, () => stream.close());
    return new Response(null, { status: 200, headers: STREAM_HEADERS });
  }
  return new Response(stream.body, { status: 200, headers: STREAM_HEADERS });
}

// A live stream leaves Astro's request pipeline once it is admitted (features/discussion/live/
// open-stream.ts): the route offers its stream under the token this layer gave its request in
// HAND_OFF_HEADER and answers with the stream's headers; this layer, the one nearest Astro, sends
// the headers on through the layers outside it, gives the stream Node's response to write to, passes
// over the adapter's end of its empty answer and lets go of what Astro's pipeline left behind. Held
// by Astro for as long as the browser stays, each stream kept about 19 KB of heap (Astro's request,
// cookies, web streams and the adapter's suspended reader beside Node's own ~6 KB), which every full
// garbage collection marks again: with 2,000 open streams that cost reads a quarter more CPU
// (tests/bench/README.md, "Live streams"). Handed over and let go of, 11.4 KB. Given a keeper
// (the built server's stream holder, held-streams.ts), the layer sends the connection itself
// there instead, and this process keeps none of Node's objects for it (~0.4 KB a stream in all).
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { absorbHead, headerText } from './response-head.ts';
import { MAX_UNSENT_BYTES } from './stream-holder-protocol.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What is told when a handed-over stream's connection closes: the stream itself, an object rather than a closure (see held-streams.ts). */
export interface Closable {
  close(): void;
}

/** Where a handed-over stream writes. */
export interface StreamSink {
  write(bytes: Uint8Array): void;
  end(): void;
  /** `closable.close()` is called once when the connection closes, whoever closed it. */
  onClose(closable: Closable): void;
}

export type TakeSocket = (sink: StreamSink) => void;

/**
 * On a request, set by this layer over any value a client sent: the request's own token, under
 * which its route may offer the stream (absent when nothing can take it, as for in-process callers).
 */
export const HAND_OFF_HEADER = 'x-stream-hand-off';

/** How long an offer waits for its answer's head; one never taken is withdrawn. */
const OFFER_MS = 10_000;

// The offers of this process. This module runs twice in it, as the server loads it and bundled
// into the site (where the route offers), so the map is kept under a global name both see.
const OFFERS = Symbol.for('the-convenience-bargain/stream-offers');
type Offer = { take: TakeSocket; withdrawn: () => void; timer: ReturnType<typeof setTimeout> };
const global = globalThis as typeof globalThis & { [OFFERS]?: Map<string, Offer> };
const offers = (global[OFFERS] ??= new Map<string, Offer>());

/**
 * Offers the socket of the request whose HAND_OFF_HEADER is `token` to a stream, taken up when the
 * route's answer (200, text/event-stream) is sent. `withdrawn` runs if it is not: another answer
 * went out, or none within OFFER_MS.
 */
export function offerStream(token: string, take: TakeSocket, withdrawn: () => void): void {
  // One offer a request: another under the same token withdraws the first, and its timer with it.
  takeOffer(token)?.withdrawn();
  const timer = setTimeout(() => takeOffer(token)?.withdrawn(), OFFER_MS);
  timer.unref();
  offers.set(token, { take, withdrawn, timer });
}

/** The offer under `token`, taken out (its timer stopped: thousands of streams opened at once would otherwise wake it for nothing). */
function takeOffer(token: string): Offer | undefined {
  const offer = offers.get(token);
  if (!offer) return undefined;
  offers.delete(token);
  clearTimeout(offer.timer);
  return offer;
}

// Astro's adapter ties an AbortController to the socket's 'close' for each request, and its cleanup
// (what astro/app/node's getAbortControllerCleanup returns) sits on Node's request under this name.
// Not imported from there: this module loads before the built site, and Astro's node app would
// then be in memory twice. A test keeps the name and Astro's the same.
export const ASTRO_ABORT_CLEANUP = Symbol.for('astro.nodeRequestAbortControllerCleanup');

const ignore = () => {};
const RESPONSE_EVENTS = ['close', 'finish'] as const;

/**
 * Lets go of what Astro's pipeline left on a handed-over request and response, which would live as
 * long as the stream: its abort wiring (through Astro's own cleanup, which takes its listener off
 * the socket by reference: telling it apart any other way once took Node's own listener off the
 * socket of a stream pipelined behind another request, and that stream never heard its browser
 * leave; the cleanup deletes its property, so the request becomes a dictionary object, ~1.3 KB
 * more), the listeners it added to the response after the head (those in `kept` stay: Node's and
 * the stream's own), and its 'error' listener on the request, whose closure holds its Request (a
 * handed-over GET has no body left to fail; a listener that ignores errors stays, so that one is
 * never unhandled). Every layer's wrapping of the response's methods goes too, replaced rather
 * than deleted: a deleted method turned the response into a dictionary object three times larger.
 */
function letGoOfPipeline(req: IncomingMessage, res: ServerResponse, kept: Set<unknown>): void {
  (req as unknown as Record<symbol, (() => void) | undefined>)[ASTRO_ABORT_CLEANUP]?.();
  for (const event of RESPONSE_EVENTS) for (const listener of res.rawListeners(event)) if (!kept.has(listener)) res.removeListener(event, listener as () => void);
  const errorListeners = req.rawListeners('error');
  req.on('error', ignore);
  for (const listener of errorListeners) req.removeListener('error', listener as () => void);
  res.writeHead = ServerResponse.prototype.writeHead;
  res.write = ServerResponse.prototype.write;
  res.end = ServerResponse.prototype.end;
}

const isStreamHead = (res: ServerResponse) => res.statusCode === 200 && headerText(res, 'content-type').startsWith('text/event-stream');

/** Where admitted streams go to be held outside this process (held-streams.ts). */
export interface StreamKeeper {
  /** Takes the socket and writes `head` to it; null: it cannot, and the socket stays here. */
  adopt(socket: Socket, head: string): StreamSink | null;
}

// Framing of the response's own: a held stream's body ends with its connection.
const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The response's head as the holder sends it: its status and headers as every layer left them, and `connection: close`. */
export function heldHead(res: ServerResponse): string {
  let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`;
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined || FRAMING.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) head += `${name}: ${one}\r\n`;
  }
  if (!res.hasHeader('date')) head += `date: ${new Date().toUTCString()}\r\n`;
  return `${head}connection: close\r\n\r\n`;
}

/**
 * Whether the holder can take the socket as it is: nothing of an earlier answer still unsent on it
 * (those bytes would be lost), and a plain body (a compressed one goes through Node's response).
 */
const holdable = (res: ServerResponse): boolean => !!res.socket && !res.socket.destroyed && res.socket.writableLength === 0 && !res.hasHeader('content-encoding');

let requests = 0;

/** `keeper`: where admitted streams are held; without one (or when it cannot), Node's response here is the stream's. */
export function withStreamHandOff(handler: Handler, keeper: StreamKeeper | null = null): Handler {
  return (req, res) => {
    const token = String(++requests);
    req.headers[HAND_OFF_HEADER] = token;
    const { writeHead, end } = res;
    let kept: Set<unknown> | null = null;
    let held = false;
    res.writeHead = function (this: ServerResponse, statusCode: number, ...args: unknown[]) {
      absorbHead(this, statusCode, args as Parameters<typeof absorbHead>[2]);
      const offer = takeOffer(token);
      writeHead.call(this, this.statusCode);
      if (!offer) return this;
      if (!isStreamHead(this)) {
        offer.withdrawn();
        return this;
      }
      // Sent away: nothing more is written here, and the socket's close lets go of this request and response.
      const sink = keeper && holdable(this) ? keeper.adopt(this.socket!, heldHead(this)) : null;
      if (sink) {
        held = true;
        offer.take(sink);
        return this;
      }
      this.flushHeaders();
      offer.take({
        // As the holder does: a browser that reads nothing is cut (with a reset, so that the kernel
        // drops what it still held for it), not buffered for in this process without end.
        write: (bytes) => void (this.writableLength > MAX_UNSENT_BYTES ? (this.socket?.resetAndDestroy() ?? this.destroy()) : this.write(bytes)),
        end: () => void this.end(),
        // A browser gone before the head was written (its 'close' already past) is told at once.
        onClose: (closable) => void (this.destroyed || !this.socket || this.socket.destroyed ? queueMicrotask(() => closable.close()) : this.once('close', () => closable.close())),
      });
      kept = new Set(RESPONSE_EVENTS.flatMap((event) => this.rawListeners(event)));
      return this;
    } as ServerResponse['writeHead'];
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      // Astro ending the headers-only answer of a stream now held elsewhere: nothing to send.
      if (held) return this;
      if (!kept) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      // Astro ending the headers-only answer it sent: passed over, the stream ends the answer when it closes.
      letGoOfPipeline(req, this, kept);
      kept = null;
      return this;
    } as ServerResponse['end'];
    handler(req, res);
  };
}

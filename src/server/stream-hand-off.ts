// A live stream leaves Astro's request pipeline once it is admitted (features/discussion/live/
// open-stream.ts): the route answers with the stream's headers and an offer id in
// HAND_OFF_HEADER; this layer, the one nearest Astro, sends the headers on through the layers
// outside it and gives the stream Node's response to write to, and the adapter's end of its empty
// answer is passed over. Held by Astro for as long as the browser stays, each stream kept about
// 19 KB of heap (Astro's request, cookies, web streams and the adapter's suspended reader beside
// Node's own ~6 KB), which every full garbage collection marks again: with 2,000 open streams that
// cost reads a quarter more CPU (tests/bench/README.md, "Live streams").
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { absorbHead, headerText } from './response-head.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where a handed-over stream writes. */
export interface StreamSink {
  write(bytes: Uint8Array): void;
  end(): void;
  /** Called once when the connection closes, whoever closed it. */
  onClose(listener: () => void): void;
}

export type TakeSocket = (sink: StreamSink) => void;

/**
 * On a request: `yes` when this layer is in front of Astro (it sets it on every request, over
 * any value a client sent), so a route may offer its stream. On an answer: the offer's id.
 */
export const HAND_OFF_HEADER = 'x-stream-hand-off';

/** How long an offer waits for its answer's head; one never taken is withdrawn. */
const OFFER_MS = 10_000;

// The offers of this process. This module runs twice in it, as the server loads it and bundled
// into the site (where the route offers), so the map is kept under a global name both see.
const OFFERS = Symbol.for('the-convenience-bargain/stream-offers');
type Offer = { take: TakeSocket; timer: ReturnType<typeof setTimeout> };
const global = globalThis as typeof globalThis & { [OFFERS]?: Map<string, Offer> };
const offers = (global[OFFERS] ??= new Map<string, Offer>());

/** Offers the socket to a stream: the id goes in the answer's HAND_OFF_HEADER. `withdrawn` runs if nobody takes it up. */
export function offerStream(take: TakeSocket, withdrawn: () => void): string {
  const id = randomUUID();
  const timer = setTimeout(() => {
    if (offers.delete(id)) withdrawn();
  }, OFFER_MS);
  timer.unref();
  offers.set(id, { take, timer });
  return id;
}

/** The offer under `id`, taken out (its timer stopped: thousands of streams opened at once would otherwise wake it for nothing). */
function takeOffer(id: string): TakeSocket | undefined {
  const offer = offers.get(id);
  if (!offer) return undefined;
  offers.delete(id);
  clearTimeout(offer.timer);
  return offer.take;
}

export function withStreamHandOff(handler: Handler): Handler {
  return (req, res) => {
    req.headers[HAND_OFF_HEADER] = 'yes';
    const { writeHead, end } = res;
    let handedOver = false;
    res.writeHead = function (this: ServerResponse, statusCode: number, ...args: unknown[]) {
      absorbHead(this, statusCode, args as Parameters<typeof absorbHead>[2]);
      const id = headerText(this, HAND_OFF_HEADER);
      if (!id) return writeHead.call(this, this.statusCode);
      this.removeHeader(HAND_OFF_HEADER);
      const take = takeOffer(id);
      writeHead.call(this, this.statusCode);
      if (!take) return this;
      handedOver = true;
      this.flushHeaders();
      take({
        write: (bytes) => void this.write(bytes),
        end: () => void this.end(),
        // A browser gone before the head was written (its 'close' already past) is told at once.
        onClose: (listener) => void (this.destroyed || !this.socket || this.socket.destroyed ? queueMicrotask(listener) : this.once('close', listener)),
      });
      return this;
    } as ServerResponse['writeHead'];
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      if (!handedOver) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      // Astro ending the headers-only answer it sent: passed over, the stream ends the answer when it
      // closes. From here on the response is Node's own: every layer's wrapping of it (closures
      // that would live as long as the stream) goes, the head being sent.
      for (const method of ['writeHead', 'write', 'end'] as const) Reflect.deleteProperty(this, method);
      return this;
    } as ServerResponse['end'];
    handler(req, res);
  };
}

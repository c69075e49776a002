// A live stream handed Node's response once Astro has answered its head (src/server/stream-hand-off.ts),
// over real HTTP: a handler stands in for Astro's adapter, which writes the route's head and ends its empty body.
import { createServer, request, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getAbortControllerCleanup } from 'astro/app/node';
import { MAX_UNSENT_BYTES } from '../../src/server/stream-holder-protocol.ts';
import { ASTRO_ABORT_CLEANUP, HAND_OFF_HEADER, offerStream, withStreamHandOff, type StreamSink } from '../../src/server/stream-hand-off.ts';

let server: Server | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** Serves `answer` behind the layer; resolves with the server's address. */
async function serve(answer: (headers: IncomingMessage['headers'], respond: (head: Record<string, string>) => void) => void): Promise<string> {
  server = createServer(
    withStreamHandOff((req, res) =>
      answer(req.headers, (head) => {
        res.writeHead(200, head);
        res.end();
      }),
    ),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

const STREAM_HEAD = { 'content-type': 'text/event-stream' };
const tokenOf = (headers: IncomingMessage['headers']) => headers[HAND_OFF_HEADER] as string;

/** Offers the request's socket; the sink, once taken, goes to `got`. */
const offer = (headers: IncomingMessage['headers'], got: (sink: StreamSink) => void, withdrawn = () => {}) => offerStream(tokenOf(headers), got, withdrawn);

function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { headers, agent: false }, resolve).on('error', reject).end());
}

/** Whether the stream is told, once, when the browser goes away as `leave` makes it. */
async function toldWhenLeft(sink: StreamSink, leave: () => void): Promise<void> {
  let closed = 0;
  sink.onClose({ close: () => closed++ });
  leave();
  await vi.waitFor(() => expect(closed).toBe(1));
}

/** A route that offers its stream and answers with the stream's head, opened: the response, and the sink the stream took. */
async function openOffered(): Promise<{ response: IncomingMessage; sink: StreamSink }> {
  let sink: StreamSink | null = null;
  const url = await serve((headers, respond) => {
    offer(headers, (s) => (sink = s));
    respond(STREAM_HEAD);
  });
  const response = await open(url);
  await vi.waitFor(() => expect(sink).not.toBeNull());
  return { response, sink: sink! };
}

describe('handing a stream the socket', () => {
  it('sends the answer’s head without the offer, then what the stream writes, until it ends', async () => {
    const { response, sink } = await openOffered();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers[HAND_OFF_HEADER]).toBeUndefined();
    const text: string[] = [];
    const ended = new Promise<void>((resolve) => response.on('data', (c: Buffer) => text.push(c.toString())).on('end', resolve));
    sink.write(new TextEncoder().encode('data: one\n\n'));
    sink.write(new TextEncoder().encode('data: two\n\n'));
    await vi.waitFor(() => expect(text.join('')).toBe('data: one\n\ndata: two\n\n'));
    sink.end();
    await ended;
  });

  it("leaves Node's response as Node made it once the head is out, and lets go of what Astro's pipeline left on it", async () => {
    let sink: StreamSink | null = null;
    let response: ServerResponse | null = null;
    let incoming: IncomingMessage | null = null;
    const astroListener = () => {};
    let socketListeners = 0;
    let cleanedUp = 0;
    let nodeFinishListeners = 0;
    server = createServer(
      withStreamHandOff((req, res) => {
        // As Astro's adapter does: abort wiring under its name, an 'error' listener on the request,
        // a 'finish' and a 'close' listener on the response once it has written the head.
        socketListeners = req.socket.listenerCount('close');
        req.socket.on('close', astroListener);
        (req as unknown as Record<symbol, () => void>)[ASTRO_ABORT_CLEANUP] = () => {
          cleanedUp++;
          req.socket.removeListener('close', astroListener);
        };
        req.once('error', () => response);
        response = res;
        incoming = req;
        nodeFinishListeners = res.listenerCount('finish');
        offer(req.headers, (s) => (sink = s));
        res.writeHead(200, STREAM_HEAD);
        res.on('finish', astroListener).on('close', astroListener);
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = await open(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await vi.waitFor(() => expect(sink).not.toBeNull());
    const res = response as unknown as ServerResponse;
    expect(['writeHead', 'write', 'end'].filter((m) => res[m as 'end'] !== ServerResponse.prototype[m as 'end'])).toEqual([]);
    const req = incoming as unknown as IncomingMessage;
    expect(cleanedUp).toBe(1);
    expect(req.socket.listenerCount('close')).toBe(socketListeners);
    expect(res.rawListeners('close')).not.toContain(astroListener);
    expect(res.rawListeners('finish')).not.toContain(astroListener);
    expect(res.listenerCount('finish')).toBe(nodeFinishListeners);
    // Astro's listener is gone and one that ignores errors stands in its place: an error is never unhandled.
    expect(req.listenerCount('error')).toBe(1);
    expect(() => req.emit('error', new Error('reset'))).not.toThrow();
    const text: string[] = [];
    client.on('data', (c: Buffer) => text.push(c.toString()));
    sink!.write(new TextEncoder().encode('data: still\n\n'));
    await vi.waitFor(() => expect(text.join('')).toBe('data: still\n\n'));
    await toldWhenLeft(sink!, () => client.destroy());
  });

  it('tells a stream that was the second of two pipelined requests when the browser goes away', async () => {
    // The stream's response gets its socket only when the first answer is done, so Node's own
    // 'close' listener for it arrives on the socket after the request began.
    let sink: StreamSink | null = null;
    server = createServer(
      withStreamHandOff((req, res) => {
        if (req.url === '/first') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('first');
        // As Astro's adapter does: a listener on the socket, and its cleanup, which takes it off.
        const astroListener = () => {};
        req.socket.on('close', astroListener);
        (req as unknown as Record<symbol, () => void>)[ASTRO_ABORT_CLEANUP] = () => void req.socket.removeListener('close', astroListener);
        setTimeout(() => {
          offer(req.headers, (s) => (sink = s));
          res.writeHead(200, STREAM_HEAD);
          res.end();
        }, 50);
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const received: string[] = [];
    socket.on('data', (c: Buffer) => received.push(c.toString()));
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    await vi.waitFor(() => expect(sink).not.toBeNull());
    sink!.write(new TextEncoder().encode('data: second\n\n'));
    await vi.waitFor(() => expect(received.join('')).toContain('data: second'));
    await toldWhenLeft(sink!, () => socket.destroy());
  });

  it("knows Astro's abort cleanup by the name Astro gives it", () => {
    const cleanup = () => {};
    expect(getAbortControllerCleanup({ [ASTRO_ABORT_CLEANUP]: cleanup } as never)).toBe(cleanup);
  });

  it('cuts a browser that reads nothing once more than MAX_UNSENT_BYTES wait for it in this process', async () => {
    const { response, sink } = await openOffered();
    response.pause();
    let told = 0;
    sink.onClose({ close: () => told++ });
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    // Far more than the kernel's buffers (~10 MB on loopback) and the limit together.
    for (let i = 0; i < (MAX_UNSENT_BYTES + 24 * 2 ** 20) / chunk.length && told === 0; i++) {
      sink.write(chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(() => expect(told).toBe(1), { timeout: 5_000 });
  });

  it('tells the stream when the browser goes away', async () => {
    const { response, sink } = await openOffered();
    await toldWhenLeft(sink, () => response.destroy());
  });

  it('tells a stream at once when the browser went away before the head was written', async () => {
    let sink: StreamSink | null = null;
    let gone!: () => void;
    const left = new Promise<void>((resolve) => (gone = resolve));
    server = createServer(
      withStreamHandOff((req, res) => {
        req.socket.on('close', () => setTimeout(gone, 50));
        // The route takes its time; the browser closes meanwhile.
        void left.then(() => {
          offer(req.headers, (s) => (sink = s));
          res.writeHead(200, STREAM_HEAD);
          res.end();
        });
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { agent: false });
    client.on('error', () => {});
    client.end();
    setTimeout(() => client.destroy(), 100);
    await vi.waitFor(() => expect(sink).not.toBeNull());
    let closed = 0;
    sink!.onClose({ close: () => closed++ });
    await vi.waitFor(() => expect(closed).toBe(1));
  });

  it('gives each request its own token, whatever a client sent in its place, and never sends it back', async () => {
    const seen: string[] = [];
    const url = await serve((headers, respond) => {
      seen.push(tokenOf(headers));
      respond({ 'content-type': 'text/plain' });
    });
    for (const sent of [undefined, 'yes', 'yes', 'yes']) {
      const response = await open(url, sent ? { [HAND_OFF_HEADER]: sent } : {});
      response.resume();
      expect(response.statusCode).toBe(200);
      expect(response.headers[HAND_OFF_HEADER]).toBeUndefined();
    }
    expect(new Set(seen).size).toBe(4);
    expect(seen).not.toContain('yes');
  });

  it('withdraws an offer when the answer is not the stream, and one nobody takes', async () => {
    const withdrawn = vi.fn();
    let taken = false;
    const url = await serve((headers, respond) => {
      offer(headers, () => (taken = true), withdrawn);
      respond({ 'content-type': 'text/plain' });
    });
    const response = await open(url);
    await new Promise((resolve) => response.resume().on('end', resolve));
    expect(taken).toBe(false);
    expect(withdrawn).toHaveBeenCalledOnce();

    vi.useFakeTimers();
    const neverTaken = vi.fn();
    offerStream('a token no request has', () => {}, neverTaken);
    vi.advanceTimersByTime(9_000);
    expect(neverTaken).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_001);
    expect(neverTaken).toHaveBeenCalledOnce();

    // A second offer under one token withdraws the first at once, and waits its own full time.
    const first = vi.fn();
    const second = vi.fn();
    offerStream('one token', () => {}, first);
    vi.advanceTimersByTime(5_000);
    offerStream('one token', () => {}, second);
    expect(first).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(9_000);
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_001);
    expect([first, second].map((f) => f.mock.calls.length)).toEqual([1, 1]);
  });
});

// A live stream handed Node's response once Astro has answered its head (src/server/stream-hand-off.ts),
// over real HTTP: a handler stands in for Astro's adapter, which writes the route's head and ends its empty body.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HAND_OFF_HEADER, offerStream, withStreamHandOff, type StreamSink } from '../../src/server/stream-hand-off.ts';

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

function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { headers, agent: false }, resolve).on('error', reject).end());
}

describe('handing a stream the socket', () => {
  it('sends the answer’s head without the offer, then what the stream writes, until it ends', async () => {
    let sink: StreamSink | null = null;
    const url = await serve((_, respond) => respond({ 'content-type': 'text/event-stream', [HAND_OFF_HEADER]: offerStream((s) => (sink = s), () => {}) }));
    const response = await open(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers[HAND_OFF_HEADER]).toBeUndefined();
    const text: string[] = [];
    const ended = new Promise<void>((resolve) => response.on('data', (c: Buffer) => text.push(c.toString())).on('end', resolve));
    await vi.waitFor(() => expect(sink).not.toBeNull());
    sink!.write(new TextEncoder().encode('data: one\n\n'));
    sink!.write(new TextEncoder().encode('data: two\n\n'));
    await vi.waitFor(() => expect(text.join('')).toBe('data: one\n\ndata: two\n\n'));
    sink!.end();
    await ended;
  });

  it("leaves Node's response as Node made it once the head is out: no layer's wrapping lives as long as the stream", async () => {
    let sink: StreamSink | null = null;
    let response: import('node:http').ServerResponse | null = null;
    server = createServer(
      withStreamHandOff((_, res) => {
        response = res;
        res.writeHead(200, { [HAND_OFF_HEADER]: offerStream((s) => (sink = s), () => {}) });
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const client = await open(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await vi.waitFor(() => expect(sink).not.toBeNull());
    expect(['writeHead', 'write', 'end'].filter((m) => Object.hasOwn(response!, m))).toEqual([]);
    const text: string[] = [];
    client.on('data', (c: Buffer) => text.push(c.toString()));
    sink!.write(new TextEncoder().encode('data: still\n\n'));
    await vi.waitFor(() => expect(text.join('')).toBe('data: still\n\n'));
    sink!.end();
  });

  it('tells the stream when the browser goes away', async () => {
    let sink: StreamSink | null = null;
    const url = await serve((_, respond) => respond({ [HAND_OFF_HEADER]: offerStream((s) => (sink = s), () => {}) }));
    const response = await open(url);
    await vi.waitFor(() => expect(sink).not.toBeNull());
    let closed = 0;
    sink!.onClose(() => closed++);
    response.destroy();
    await vi.waitFor(() => expect(closed).toBe(1));
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
          res.writeHead(200, { [HAND_OFF_HEADER]: offerStream((s) => (sink = s), () => {}) });
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
    sink!.onClose(() => closed++);
    await vi.waitFor(() => expect(closed).toBe(1));
  });

  it('says to the route that it is there, whatever a client sent in its place', async () => {
    const seen: (string | string[] | undefined)[] = [];
    const url = await serve((headers, respond) => {
      seen.push(headers[HAND_OFF_HEADER]);
      respond({ 'content-type': 'text/plain' });
    });
    for (const sent of [undefined, 'no', 'yes']) {
      const response = await open(url, sent ? { [HAND_OFF_HEADER]: sent } : {});
      response.resume();
      expect(response.statusCode).toBe(200);
    }
    expect(seen).toEqual(['yes', 'yes', 'yes']);
  });

  it('ends an answer whose offer is unknown as Astro ends it, and withdraws an offer nobody takes', async () => {
    const url = await serve((_, respond) => respond({ [HAND_OFF_HEADER]: 'not-an-offer' }));
    const response = await open(url);
    expect(response.headers[HAND_OFF_HEADER]).toBeUndefined();
    await new Promise((resolve) => response.resume().on('end', resolve));

    vi.useFakeTimers();
    const withdrawn = vi.fn();
    offerStream(() => {}, withdrawn);
    vi.advanceTimersByTime(9_000);
    expect(withdrawn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_001);
    expect(withdrawn).toHaveBeenCalledOnce();
  });
});

// A pipelining client gets its answers one at a time (src/server/pipelining.ts): the site is
// asked for the next only once the last is sent and read far enough; a client far ahead, or one
// that stops reading while requests wait, is cut off. Over real sockets, against `listen`.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, REQUEST_LIMITS } from '../../src/server/http-server.ts';
import { PIPELINING_LIMITS } from '../../src/server/pipelining.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

/** A site answering each request with `size` bytes made for it, counting the requests it was asked. */
function site(size: number) {
  const asked: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    asked.push(req.url!);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': size }).end(Buffer.alloc(size, req.url!.slice(-1)));
  };
  return { asked, handler };
}

const portOf = (s: Server) => {
  const address = s.address();
  return typeof address === 'object' && address ? address.port : 0;
};
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The server's open connections (a client that reads nothing cannot see its own closed). */
const connections = (s: Server) => new Promise<number>((resolve, reject) => s.getConnections((error, n) => (error ? reject(error) : resolve(n))));

describe('pipelined requests', () => {
  it('are all answered, in order, for a client that reads', async () => {
    const { asked, handler } = site(100);
    server = await listen(handler, '127.0.0.1', 0);
    const socket = connect(portOf(server), '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.write(['/a', '/b', '/c', '/d'].map(get).join(''));
    await expect.poll(() => text.split('HTTP/1.1 200').length - 1).toBe(4);
    expect(asked).toEqual(['/a', '/b', '/c', '/d']);
    // Each answer's body is its own letter: the order held.
    expect(text.replace(/HTTP[\s\S]*?\r\n\r\n/g, '|')).toBe(`|${'a'.repeat(100)}|${'b'.repeat(100)}|${'c'.repeat(100)}|${'d'.repeat(100)}`);
    socket.destroy();
  });

  it('cut off a client that sends far more than it reads, having asked the site for one answer', async () => {
    const { asked, handler } = site(80_000);
    server = await listen(handler, '127.0.0.1', 0);
    const socket = connect(portOf(server), '127.0.0.1');
    socket.pause();
    socket.on('error', () => {});
    socket.write(Array.from({ length: 200 }, (_, i) => get(`/page${i}`)).join(''));
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    await expect.poll(() => connections(server!)).toBe(0);
    socket.destroy();
    // Node read all 200 at once; the site was asked for the first alone (without the limit: all 200, their answers held in memory).
    expect(asked).toEqual(['/page0']);
  });

  it('cut off a client that stops reading while requests wait for their turn', async () => {
    const { asked, handler } = site(16 * 1024 * 1024);
    server = await listen(handler, '127.0.0.1', 0, REQUEST_LIMITS, { ...PIPELINING_LIMITS, stallMs: 300 });
    const socket = connect(portOf(server), '127.0.0.1');
    socket.pause();
    socket.on('error', () => {});
    socket.write(get('/x') + get('/y'));
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    expect(await connections(server!)).toBe(1);
    await expect.poll(() => connections(server!), { timeout: 3_000 }).toBe(0);
    await sleep(50);
    expect(asked).toEqual(['/x']);
    socket.destroy();
  });
});

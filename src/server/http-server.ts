// Wraps Astro's Node handler in our own HTTP server, so that a port in use becomes a clear
// message and every response, static files included, carries the security headers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConfigError } from '../lib/config.ts';
import { PIPELINING_LIMITS, withOneRequestAtATime } from './pipelining.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function withSecurityHeaders(handler: Handler): Handler {
  return (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    handler(req, res);
  };
}

// The site reads pages and takes form posts. Methods the fetch standard forbids (TRACE, CONNECT,
// TRACK) cannot even become a Request, so Astro answered them with a 500: they stop here.
const METHODS = new Set(['GET', 'HEAD', 'POST']);
// Astro's image endpoint re-encodes images on demand, uncached: seconds of CPU per request for
// anyone. The site transforms no images (figures are SVG, og.png is served as it is), so it is off.
const IMAGE_ENDPOINT = /^\/_image(?:[/?]|$)/;
// Astro's server-island endpoint answers GET and POST only, so a HEAD for an island got a 405
// (outside review). A HEAD is the GET without its body (RFC 9110, 9.3.2): asked of Astro as a GET,
// and Node's response, made for a HEAD, sends the headers alone.
const ISLANDS = /^\/_server-islands\//;

/** Cheap refusals before Astro sees the request. */
export function withRequestGuards(handler: Handler): Handler {
  return (req, res) => {
    if (!METHODS.has(req.method ?? '')) {
      res.writeHead(405, { allow: 'GET, HEAD, POST', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed.');
      return;
    }
    if (IMAGE_ENDPOINT.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    if (req.method === 'HEAD' && ISLANDS.test(req.url ?? '')) req.method = 'GET';
    handler(req, res);
  };
}

/**
 * How long a client may take to send a request: its headers, then the whole of it, body included
 * (Node's defaults, 60 s and 300 s, let a client that trickles a form body hold a connection for
 * five minutes: outside review). A form is at most 160 KB; a live stream is a GET, whole at once.
 *
 * How long an idle kept-alive connection stays open: longer than the clients that reuse it keep it
 * (nginx's upstream `keepalive_timeout`, 60 s, in nginx/convenience-bargain.conf), so the client is
 * always the one to close it. With Node's 5 s, a post sent on a connection the server was closing
 * at that moment failed unanswered: nginx answers that with a 502 (it does not retry a POST), and
 * the test client once did with "other side closed" in CI.
 */
export const REQUEST_LIMITS = { headersTimeoutMs: 20_000, requestTimeoutMs: 30_000, checkEveryMs: 5_000, keepAliveTimeoutMs: 65_000 };

export function listen(handler: Handler, host: string, port: number, limits = REQUEST_LIMITS, pipelining = PIPELINING_LIMITS): Promise<Server> {
  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkEveryMs },
    // A pipelining client gets its answers one at a time (pipelining.ts).
    withOneRequestAtATime(handler, pipelining),
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  trackConnections(server);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new ConfigError(`PORT ${port} on ${host} is already in use: stop what is using it or set PORT to a free port.`));
      } else if (error.code === 'EACCES') {
        reject(new ConfigError(`PORT ${port} on ${host} needs privileges this user lacks: choose a port above 1023.`));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new ConfigError(`HOST "${host}" is not an address of this machine.`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve(server));
  });
}

// The connections each server accepted and still has. Node's own count cannot say: once a live
// stream's connection has been sent to the stream holder (held-streams.ts), Node counts the
// server's connections as served by another process, and its close() stops waiting for those
// still open here once that process has none.
const connections = new WeakMap<Server, Set<Socket>>();

function trackConnections(server: Server): void {
  const open = new Set<Socket>();
  connections.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}

/**
 * Stops accepting connections, lets requests in flight finish for up to `graceMs`, then cuts
 * whatever is left (a half-sent request, a stuck keep-alive client) so a stop never hangs.
 * Resolves once none of the server's connections is left.
 */
export function stopServer(server: Server, graceMs = 2_000): Promise<void> {
  const open = connections.get(server) ?? new Set<Socket>();
  return new Promise((resolve) => {
    const settle = () => open.size === 0 && resolve();
    for (const socket of open) socket.once('close', () => queueMicrotask(settle));
    server.close();
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      for (const socket of open) socket.destroy();
    }, graceMs).unref();
    settle();
  });
}

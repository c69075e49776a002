// The status line's reason phrase: every response the server sends says its status's standard
// phrase (Node's STATUS_CODES), whatever the handler left in statusMessage. Astro's adapter copies
// its Response's statusText there, and a page that set `Astro.response.status = 404` went out as
// "404 OK". Over real HTTP, through the server's own layers around Astro's real writeResponse,
// reading the raw status line. The built site's answers: tests/browser/reason-phrase-http.test.ts.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { writeResponse } from 'astro/app/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDelivery } from '../../src/server/delivery.ts';
import { listen, stopServer, withRequestGuards, withSecurityHeaders } from '../../src/server/http-server.ts';
import { tempDir } from '../support/paths.ts';
import { statusLine } from '../support/status-line.ts';

// Large enough to be compressed on the fly (its head then waits for the end of the body).
const PAGE = `<!doctype html><title>Not here</title>${'<p>There is nothing at this address.</p>\n'.repeat(200)}`;

/** The response as Astro's adapter writes it: the statusText it carries becomes statusMessage. */
const astroAnswer = (res: ServerResponse, status: number, statusText: string, body: string | null = PAGE) =>
  void writeResponse(new Response(body, { status, statusText, headers: { 'content-type': 'text/html; charset=utf-8' } }), res);

function handler(req: IncomingMessage, res: ServerResponse): void {
  switch (new URL(req.url ?? '/', 'http://x').pathname) {
    case '/page-set-404': // Astro.response.status = 404 on a page that began as 200 OK
      return astroAnswer(res, 404, 'OK');
    case '/short-404':
      return astroAnswer(res, 404, 'OK', 'Not here.');
    case '/island-400': // Astro's own words for a server island without its parameters
      return astroAnswer(res, 400, 'Bad request: Missing required query parameters.', 'Bad request');
    case '/refused-401':
      return astroAnswer(res, 401, 'OK');
    case '/moved-303':
      return astroAnswer(res, 303, 'OK', null);
    case '/implicit-403': // no writeHead: the head goes out with the body
      res.statusCode = 403;
      res.statusMessage = 'OK';
      return void res.end('Refused.');
    case '/message-429':
      return void res.writeHead(429, 'Slow down please', { 'retry-after': '5' }).end();
    case '/not-modified':
      res.statusMessage = 'OK';
      return void res.writeHead(304, { etag: 'W/"x"' }).end();
    case '/odd-599':
      return astroAnswer(res, 599, 'Whatever', 'x');
    default:
      return astroAnswer(res, 200, 'OK');
  }
}

let server: Server;
let port: number;

beforeAll(async () => {
  // The server's layers as start.ts puts them together, around the stand-in for Astro's handler.
  server = await listen(withSecurityHeaders(withRequestGuards(withDelivery(handler, tempDir('tcb-reason-')))), '127.0.0.1', 0);
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(() => stopServer(server, 100));

describe('the status line', () => {
  const cases: [path: string, status: number][] = [
    ['/page-set-404', 404],
    ['/short-404', 404],
    ['/island-400', 400],
    ['/refused-401', 401],
    ['/moved-303', 303],
    ['/implicit-403', 403],
    ['/message-429', 429],
    ['/not-modified', 304],
    ['/', 200],
  ];

  it.each(cases)('%s says %i with its standard reason phrase, compressed or not', async (path, status) => {
    const expected = `HTTP/1.1 ${status} ${STATUS_CODES[status]}`;
    expect(await statusLine(port, path)).toBe(expected);
    expect(await statusLine(port, path, { headers: { 'accept-encoding': 'gzip, br' } })).toBe(expected);
  });

  it('says "unknown" for a status without a standard phrase, as Node does, and keeps the guards\' own answers', async () => {
    expect(await statusLine(port, '/odd-599')).toBe('HTTP/1.1 599 unknown');
    expect(await statusLine(port, '/_image?url=x')).toBe('HTTP/1.1 404 Not Found');
  });
});

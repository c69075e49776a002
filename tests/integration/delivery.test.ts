// The delivery layers (src/server/delivery.ts) over real HTTP, around small handlers and a
// folder compressed by the build's own integration: static copies, compression on the fly,
// the shared-cache guard, and what a 304 carries. The built site's answers: tests/browser/delivery-http.test.ts.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';
import { SESSION_COOKIE, withDelivery } from '../../src/server/delivery.ts';
import { listen, withSecurityHeaders } from '../../src/server/http-server.ts';
import { precompressDirectory } from '../../src/server/precompress-integration.ts';
import { guardedCacheControl, hasCookie } from '../../src/server/shared-cache-guard.ts';
import { tempDir } from '../support/paths.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds from the request to the first body byte. */
  firstByteMs: number;
}

function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1;
    const req = request(base + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = performance.now() - started;
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), firstByteMs }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decoded = (answer: Answer) =>
  answer.headers['content-encoding'] === 'br' ? brotliDecompressSync(answer.body) : answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body;

const PAGE = `<!doctype html><title>A page</title>${'<p>The price of one app is one profile.</p>\n'.repeat(300)}`;
const CSS = `${'.essay p { margin: 0 0 1rem; line-height: 1.6; }\n'.repeat(100)}`;
const SMALL_JS = 'console.log("small");\n';

let client: string;
let server: Server;
let base: string;
/** What the stand-in for Astro's handler last saw: proves which requests reached it. */
let reached: string[] = [];

// Stands in for Astro's handler: the adapter's static files (identity), and a few dynamic answers.
function astro(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  reached.push(url.pathname);
  const html = (status: number, body: string | Buffer, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html', ...headers });
    res.end(body);
  };
  switch (url.pathname) {
    case '/':
    case '/index.html':
      // As the adapter's `send` answers a Range: that part of the original.
      if (req.headers.range === 'bytes=0-9') {
        res.writeHead(206, { 'content-type': 'text/html', 'content-range': `bytes 0-9/${PAGE.length}` });
        return void res.end(PAGE.slice(0, 10));
      }
      return html(200, PAGE, { 'cache-control': 'public, max-age=0', 'x-from': 'adapter' });
    case '/dynamic':
      // Written in pieces, as Astro streams a page.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache', etag: '"strong"' });
      for (let i = 0; i < 300; i++) res.write(`<p>Comment ${i}: a reply to the one before.</p>`);
      return void res.end();
    case '/implicit':
      // No writeHead: headers go out with the first write.
      res.statusCode = 404;
      res.setHeader('content-type', 'text/html');
      res.write(PAGE.slice(0, 2_000));
      return void res.end(PAGE.slice(2_000));
    case '/small':
      return html(200, '<p>short</p>');
    case '/png':
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.end(Buffer.alloc(5_000, 7));
    case '/encoded':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
      return void res.end(gzipSync(PAGE));
    case '/no-transform':
      return html(200, PAGE, { 'cache-control': 'no-transform' });
    case '/not-modified':
      res.writeHead(304, { etag: 'W/"x"' });
      return void res.end();
    case '/no-content':
      res.writeHead(204);
      return void res.end();
    case '/events': {
      // A live stream: its first event must arrive long before it ends.
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'private, no-store, no-transform' });
      res.write(`data: ${'first '.repeat(400)}\n\n`);
      setTimeout(() => res.end('data: last\n\n'), 400);
      return;
    }
    case '/public-with-cookie':
      return html(200, PAGE, { 'cache-control': 'public, s-maxage=10', 'set-cookie': ['flash=1; Path=/'] });
    case '/shared':
      return html(200, PAGE, { 'cache-control': 'public, max-age=0, s-maxage=10, stale-while-revalidate=30' });
    case '/immutable':
      return html(200, PAGE, { 'cache-control': 'public, max-age=31536000, immutable' });
    case '/with-csp-304':
      res.setHeader('content-security-policy', "script-src 'sha256-abc'");
      res.writeHead(304, { etag: 'W/"y"' });
      return void res.end();
    default:
      return html(404, 'Not found.');
  }
}

beforeAll(async () => {
  client = tempDir('tcb-delivery-');
  mkdirSync(join(client, '_astro'), { recursive: true });
  mkdirSync(join(client, 'essays', 'one'), { recursive: true });
  writeFileSync(join(client, 'index.html'), PAGE);
  writeFileSync(join(client, 'essays', 'one', 'index.html'), PAGE);
  writeFileSync(join(client, '_astro', 'Base.abc123.css'), CSS);
  writeFileSync(join(client, '_astro', 'small.js'), SMALL_JS);
  writeFileSync(join(client, 'og.png'), Buffer.alloc(4_000, 1));
  await precompressDirectory(client);
  server = await listen(withSecurityHeaders(withDelivery(astro, client)), '127.0.0.1', 0);
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the build compresses its static files once', () => {
  it('writes a smallest Brotli and a gzip copy beside each compressible file above 1 KB, and nothing else', () => {
    const page = join(client, 'index.html');
    expect(brotliDecompressSync(readFileSync(`${page}.br`)).toString()).toBe(PAGE);
    expect(gunzipSync(readFileSync(`${page}.gz`)).toString()).toBe(PAGE);
    expect(statSync(`${page}.br`).size).toBeLessThan(statSync(`${page}.gz`).size);
    expect(() => statSync(join(client, '_astro', 'small.js.br'))).toThrow();
    expect(() => statSync(join(client, 'og.png.br'))).toThrow();
  });

  it('leaves no copy from an earlier build of a file that shrank below the threshold', async () => {
    const dir = tempDir('tcb-precompress-');
    writeFileSync(join(dir, 'a.html'), PAGE);
    await precompressDirectory(dir);
    writeFileSync(join(dir, 'a.html'), '<p>now small</p>');
    await precompressDirectory(dir);
    expect(() => statSync(join(dir, 'a.html.br'))).toThrow();
    expect(() => statSync(join(dir, 'a.html.gz'))).toThrow();
  });
});

describe('static files from their compressed copies', () => {
  it('sends the Brotli copy to a client that takes it, labelled as the original', async () => {
    reached = [];
    for (const path of ['/', '/index.html', '/essays/one/', '/essays/one']) {
      const answer = await get(base, path, { 'accept-encoding': 'gzip, br' });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-encoding']).toBe('br');
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(answer.headers['cache-control']).toBe('public, max-age=0');
      expect(answer.headers.etag).toMatch(/^W\/"[\da-f]+-[\da-f]+"$/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(decoded(answer).toString()).toBe(PAGE);
    }
    expect(reached).toEqual([]);
  });

  it('sends gzip where Brotli is not taken, and hashed assets as immutable', async () => {
    const answer = await get(base, '/_astro/Base.abc123.css', { 'accept-encoding': 'gzip' });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decoded(answer).toString()).toBe(CSS);
  });

  it('leaves the original to the adapter for a client that takes neither, still saying Vary', async () => {
    reached = [];
    for (const headers of [{}, { 'accept-encoding': 'br;q=0, gzip;q=0' }, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const answer = await get(base, '/', headers);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers['x-from']).toBe('adapter');
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(answer.body.toString()).toBe(PAGE);
    }
    expect(reached).toEqual(['/', '/', '/']);
  });

  it('answers HEAD with the headers of the copy, and a matching If-None-Match with 304', async () => {
    const full = await get(base, '/', { 'accept-encoding': 'br' });
    const head = await get(base, '/', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers['content-encoding']).toBe('br');

    const again = await get(base, '/', { 'accept-encoding': 'br', 'if-none-match': full.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect([again.headers.etag, again.headers.vary]).toEqual([full.headers.etag, 'Accept-Encoding']);
    const since = await get(base, '/', { 'accept-encoding': 'br', 'if-modified-since': full.headers['last-modified']! });
    expect(since.status).toBe(304);
    expect((await get(base, '/', { 'accept-encoding': 'br', 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  it('leaves Range requests to the adapter, on the original', async () => {
    reached = [];
    const answer = await get(base, '/', { 'accept-encoding': 'br', range: 'bytes=0-9' });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString()).toBe(PAGE.slice(0, 10));
    expect(reached).toEqual(['/']);
  });

  it('finds no copy for paths outside the build or that only look like one', async () => {
    for (const path of ['/../index.html', '/%2e%2e/index.html', '/essays/one/index.html/', '/%E0%A4%A']) {
      const answer = await get(base, path, { 'accept-encoding': 'br' });
      expect(answer.headers['x-from'] ?? null, path).toBeNull();
      expect(answer.status, path).not.toBe(500);
    }
  });
});

describe('responses compressed as they are sent', () => {
  it('compresses a page written in pieces, as the client prefers, and weakens a strong tag', async () => {
    for (const [accept, coding] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['br;q=0.1, gzip;q=0.9', 'gzip']] as const) {
      const answer = await get(base, '/dynamic', { 'accept-encoding': accept });
      expect(answer.headers['content-encoding']).toBe(coding);
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(answer.headers.etag).toBe('W/"strong"');
      expect(decoded(answer).toString()).toMatch(/^<p>Comment 0: .*<p>Comment 299: a reply to the one before\.<\/p>$/);
    }
  });

  it('compresses whatever status, and headers sent without writeHead', async () => {
    const answer = await get(base, '/implicit', { 'accept-encoding': 'br' });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(decoded(answer).toString()).toBe(PAGE);
  });

  it('sends identity, with Vary, to a client that takes no coding', async () => {
    const answer = await get(base, '/dynamic', { 'accept-encoding': 'identity' });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(answer.headers.etag).toBe('"strong"');
  });

  it('leaves alone small bodies, images, encoded bodies, no-transform, 204 and 304', async () => {
    const small = await get(base, '/small', { 'accept-encoding': 'br' });
    expect([small.headers['content-encoding'], small.body.toString(), small.headers.vary]).toEqual([undefined, '<p>short</p>', 'Accept-Encoding']);
    const png = await get(base, '/png', { 'accept-encoding': 'br' });
    expect([png.headers['content-encoding'], png.body.length, png.headers.vary]).toEqual([undefined, 5_000, undefined]);
    const encoded = await get(base, '/encoded', { 'accept-encoding': 'br, gzip' });
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(encoded.body).toString()).toBe(PAGE);
    const kept = await get(base, '/no-transform', { 'accept-encoding': 'br' });
    expect([kept.headers['content-encoding'], kept.body.toString()]).toEqual([undefined, PAGE]);
    for (const path of ['/not-modified', '/no-content']) {
      const answer = await get(base, path, { 'accept-encoding': 'br' });
      expect(answer.headers['content-encoding'], path).toBeUndefined();
      expect(answer.body.length, path).toBe(0);
    }
  });

  it('passes a live event stream through as it is written, uncompressed', async () => {
    const answer = await get(base, '/events', { 'accept-encoding': 'br, gzip' });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString()).toMatch(/^data: first .*\n\ndata: last\n\n$/s);
    // The first event came before the stream ended 400 ms later: nothing held it back.
    expect(answer.firstByteMs).toBeLessThan(300);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get(base, '/dynamic', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.vary).toBe('Accept-Encoding');
  });
});

describe('the shared-cache guard', () => {
  it('keeps the session cookie name lucia sets', () => {
    const db = createDatabase();
    try {
      expect(SESSION_COOKIE).toBe(createLucia(db, { secure: false }).sessionCookieName);
    } finally {
      closeDatabase(db);
    }
  });

  it('makes a response that sets a cookie private, whatever it said', async () => {
    const answer = await get(base, '/public-with-cookie');
    expect(answer.headers['cache-control']).toBe('private, no-store');
  });

  it('makes a shared-cache mark private when the request carries a session cookie', async () => {
    const signedOut = await get(base, '/shared', { cookie: 'theme=dark' });
    expect(signedOut.headers['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    const signedIn = await get(base, '/shared', { cookie: `theme=dark; ${SESSION_COOKIE}=abc` });
    expect(signedIn.headers['cache-control']).toBe('private, no-cache');
    const asset = await get(base, '/immutable', { cookie: `${SESSION_COOKIE}=abc` });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const staticPage = await get(base, '/', { cookie: `${SESSION_COOKIE}=abc`, 'accept-encoding': 'br' });
    expect(staticPage.headers['cache-control']).toBe('private, no-cache');
    // A page that says nothing of caches says "private" to a signed-in reader, and still nothing to others.
    expect((await get(base, '/small', { cookie: `${SESSION_COOKIE}=abc` })).headers['cache-control']).toBe('private');
    expect((await get(base, '/small', { cookie: 'theme=dark' })).headers['cache-control']).toBeUndefined();
  });

  it('decides by rule', () => {
    expect(guardedCacheControl({ cacheControl: 'public, max-age=300', setsCookie: true, sessionCookie: false })).toBe('private, no-store');
    expect(guardedCacheControl({ cacheControl: '', setsCookie: true, sessionCookie: false })).toBe('private, no-store');
    expect(guardedCacheControl({ cacheControl: 'private, no-cache', setsCookie: true, sessionCookie: true })).toBeUndefined();
    expect(guardedCacheControl({ cacheControl: 'no-store', setsCookie: true, sessionCookie: false })).toBeUndefined();
    expect(guardedCacheControl({ cacheControl: 'public, s-maxage=10', setsCookie: false, sessionCookie: false })).toBeUndefined();
    expect(guardedCacheControl({ cacheControl: 'max-age=60, s-maxage=10', setsCookie: false, sessionCookie: true })).toBe('private, no-cache');
    expect(guardedCacheControl({ cacheControl: '', setsCookie: false, sessionCookie: true })).toBe('private');
    expect(guardedCacheControl({ cacheControl: '', setsCookie: false, sessionCookie: false })).toBeUndefined();
    expect(guardedCacheControl({ cacheControl: 'max-age=60', setsCookie: false, sessionCookie: true })).toBe('private, max-age=60');
    expect(guardedCacheControl({ cacheControl: 'public, max-age=31536000, immutable', setsCookie: false, sessionCookie: true })).toBeUndefined();
    expect(hasCookie('a=1; session=xyz', 'session')).toBe(true);
    expect(hasCookie('xsession=1; session_b=2', 'session')).toBe(false);
    expect(hasCookie('session=', 'session')).toBe(false);
    expect(hasCookie(undefined, 'session')).toBe(false);
  });
});

describe('a 304', () => {
  it('carries no Content-Security-Policy, so the stored page keeps its own', async () => {
    const answer = await get(base, '/with-csp-304');
    expect(answer.status).toBe(304);
    expect(answer.headers['content-security-policy']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(base, '/small')).headers['content-security-policy']).toBeDefined();
  });
});

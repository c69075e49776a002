// Answers served before Astro (src/server/ready-answers.ts): the layer over real HTTP in the
// delivery stack, asking the real signed-out island cache over a real migrated database. The
// built server's island from that path: tests/browser/island-cache.test.ts.
import { request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { keptIsland, sharedIsland } from '../../src/features/discussion/render-cache.ts';
import { ISLAND_PATH } from '../../src/server/cacheable-routes.ts';
import { SHARED_CACHE_CONTROL } from '../../src/server/conditional-get.ts';
import { SESSION_COOKIE, withDelivery } from '../../src/server/delivery.ts';
import { listen, withRequestGuards, withSecurityHeaders } from '../../src/server/http-server.ts';
import { keepAnswersReady, type ReadyAnswerer } from '../../src/server/ready-answers.ts';
import { cookieValue, namesCookie } from '../../src/server/shared-cache-guard.ts';
import { makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function ask(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ISLAND = `${ISLAND_PATH}?e=wechat&p=props&s=%7B%7D`;
const HTML = `<section><h2>Discussion</h2><ol>${'<li>A comment on the price of convenience.</li>'.repeat(100)}</ol></section>`;

let db: Db;
let server: Server;
let base: string;
/** What reached the stand-in for Astro: proves which requests the ready answer took. */
let reached: string[] = [];

// Stands in for Astro's handler with the middleware's path for the island: sharedIsland() over
// the real cache, rendering HTML; anything else gets a plain page.
function astro(req: IncomingMessage, res: ServerResponse): void {
  reached.push(`${req.method} ${req.url}`);
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== ISLAND_PATH) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('from Astro');
    return;
  }
  const headers = new Headers(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
  void sharedIsland(db, url, async () => new Response(HTML, { headers: { 'content-type': 'text/html', 'x-robots-tag': 'noindex' } }), headers).then(async (answer) => {
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
}

beforeAll(async () => {
  server = await listen(withSecurityHeaders(withRequestGuards(withDelivery(astro, tempDir()))), '127.0.0.1', 0);
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  db = createDatabase();
  reached = [];
  // As src/middleware.ts says it.
  keepAnswersReady((req) => keptIsland(db, SESSION_COOKIE, req));
});
afterEach(() => {
  keepAnswersReady(undefined);
  closeDatabase(db);
});

describe('ready answers, before Astro', () => {
  it('serves a kept signed-out island without reaching Astro, as the middleware would have', async () => {
    const first = await ask(base, ISLAND, { 'accept-encoding': 'br, gzip' });
    expect(first.headers['x-render-cache']).toBe('miss');
    expect(reached).toEqual([`GET ${ISLAND}`]);

    const repeat = await ask(base, ISLAND, { 'accept-encoding': 'br, gzip' });
    expect(reached).toHaveLength(1);
    expect(repeat.status).toBe(200);
    expect(repeat.headers['x-render-cache']).toBe('hit');
    expect(repeat.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(repeat.body).toString()).toBe(HTML);
    expect(Number(repeat.headers['content-length'])).toBe(repeat.body.length);
    // The same marks as from Astro's path, and every layer outside still applies.
    for (const name of ['etag', 'cache-control', 'vary', 'content-type', 'x-robots-tag']) expect(repeat.headers[name]).toBe(first.headers[name]);
    expect(repeat.headers['cache-control']).toBe(SHARED_CACHE_CONTROL);
    expect(repeat.headers['content-security-policy']).toBeDefined();

    const gzip = await ask(base, ISLAND, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.body).toString()).toBe(HTML);
    const plain = await ask(base, ISLAND);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(HTML);
    const head = await ask(base, ISLAND, { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-length']]).toEqual([200, 0, repeat.headers['content-length']]);
    const notModified = await ask(base, ISLAND, { 'if-none-match': String(repeat.headers.etag) });
    expect([notModified.status, notModified.body.length, notModified.headers.etag]).toEqual([304, 0, repeat.headers.etag]);
    // A 304 never carries a policy that would replace the one stored with the page.
    expect(notModified.headers['content-security-policy']).toBeUndefined();
    expect(reached).toHaveLength(1);
  });

  it('leaves to Astro whatever is not a kept rendering for a signed-out reader of this database as it is now', async () => {
    await ask(base, ISLAND);
    reached = [];
    // Anyone who names the session cookie, with a value or without; other cookies are no reason.
    await ask(base, ISLAND, { cookie: 'session=abc' });
    await ask(base, ISLAND, { cookie: 'theme=dark; session=' });
    await ask(base, ISLAND, { cookie: 'session' });
    expect((await ask(base, ISLAND, { cookie: 'theme=dark; xsession=1' })).headers['x-render-cache']).toBe('hit');
    // Other addresses and methods, and another query (another island's props).
    await ask(base, `${ISLAND_PATH}/?e=wechat&p=props&s=%7B%7D`);
    await ask(base, `/${ISLAND}`);
    await ask(base, `${ISLAND}&x=1`);
    await ask(base, ISLAND, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' }, 'POST');
    expect(reached).toHaveLength(7);

    // A write by any connection (another worker's) makes the kept rendering stale at once.
    reached = [];
    await makeUser(db);
    expect((await ask(base, ISLAND)).headers['x-render-cache']).toBe('miss');
    expect((await ask(base, ISLAND)).headers['x-render-cache']).toBe('hit');
    expect(reached).toHaveLength(1);
  });

  it('is parsed as Astro parses the address, so one rendering has one key', async () => {
    await ask(base, `${ISLAND_PATH}?e=a%20b`);
    reached = [];
    // The WHATWG parser encodes the space (as Astro's URL does): the kept key, not a new one.
    expect((await ask(base, `${ISLAND_PATH}?e=a%20b`)).headers['x-render-cache']).toBe('hit');
    expect(keptIsland(db, SESSION_COOKIE, { url: `${ISLAND_PATH}?e=a b`, headers: {} })?.status).toBe(200);
    expect(reached).toHaveLength(0);
  });

  it('keeps an answer no longer than the cache keeps its rendering', async () => {
    await ask(base, ISLAND);
    const later = Date.now() + 31_000;
    expect(keptIsland(db, SESSION_COOKIE, { url: ISLAND, headers: {} }, later)).toBeNull();
    expect(keptIsland(db, SESSION_COOKIE, { url: ISLAND, headers: {} })).toBeNull();
  });

  it('leaves a request to Astro when the answerer fails, and asks nothing when none is kept ready', async () => {
    const failing: ReadyAnswerer = () => {
      throw new Error('the database is closed');
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    keepAnswersReady(failing);
    expect((await ask(base, '/page')).body.toString()).toBe('from Astro');
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    keepAnswersReady(undefined);
    expect((await ask(base, '/page')).body.toString()).toBe('from Astro');
    expect(reached).toEqual(['GET /page', 'GET /page']);
  });

  it('tells a reader who names the session cookie from one who does not', () => {
    expect(namesCookie(undefined, 'session')).toBe(false);
    expect(namesCookie('a=1; session=', 'session')).toBe(true);
    expect(namesCookie(' session ', 'session')).toBe(true);
    expect(namesCookie('xsession=1; session_b=2; a=session', 'session')).toBe(false);
    // The value a session is looked up by: the first named one that has a value sign, trimmed.
    expect(cookieValue('a=1; session = tok ; session=other', 'session')).toBe('tok');
    expect(cookieValue('session; session=tok', 'session')).toBe('tok');
    expect(cookieValue('session=; session=tok', 'session')).toBeUndefined();
    expect(cookieValue('xsession=tok', 'session')).toBeUndefined();
    expect(cookieValue(undefined, 'session')).toBeUndefined();
  });
});

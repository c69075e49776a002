// Likes and new comments decided before Astro (src/server/direct-posts.ts with the discussion's
// src/features/discussion/direct-posts.ts), over real HTTP in the delivery stack, on a real
// migrated database and real sessions; a stand-in for Astro records what reaches it and renders
// what it is handed. The built server's answers, the same by either path:
// tests/browser/direct-posts-http.test.ts.
import { request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { authAttempts, comments, likes, sessions } from '../../db/schema.ts';
import { createLucia } from '../../src/features/accounts/lucia.ts';
import { discussionPosts, sameOrigin } from '../../src/features/discussion/direct-posts.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { withDelivery } from '../../src/server/delivery.ts';
import { decidePostsDirectly, HANDED_HEADER, handedOutcomesWaiting, takeHandedOutcome } from '../../src/server/direct-posts.ts';
import { listen, withRequestGuards, withSecurityHeaders } from '../../src/server/http-server.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';
import { sessionCookie } from '../support/session.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };

let db: Db;
let server: Server;
let base: string;
let host: string;
/** What reached the stand-in for Astro, with the body it was given and what it was handed. */
let reached: { path: string; body: string; handed: unknown }[] = [];
let handedHeaderSeen: (string | undefined)[] = [];

// Stands in for Astro: takes the handed outcome as the pages do, and answers with what it saw.
function astro(req: IncomingMessage, res: ServerResponse): void {
  handedHeaderSeen.push(req.headers[HANDED_HEADER] as string | undefined);
  const body = (req as IncomingMessage & { body?: Buffer }).body;
  const headers = new Headers(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
  let handed: unknown;
  try {
    handed = takeHandedOutcome(headers);
  } catch (error) {
    handed = { threw: String(error) };
  }
  reached.push({ path: req.url ?? '', body: body ? body.toString() : '(unread)', handed });
  res.writeHead(299, { 'content-type': 'text/plain' }).end('from Astro');
}

function post(path: string, fields: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Answer> {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      base + path,
      {
        method: 'POST',
        agent: false,
        headers: { origin: `http://${host}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = await listen(withSecurityHeaders(withRequestGuards(withDelivery(astro, tempDir()))), '127.0.0.1', 0);
  const address = server.address();
  host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  base = `http://${host}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let cookie: string;
let commentId: number;
let authorId: string;

beforeEach(async () => {
  db = createDatabase();
  reached = [];
  handedHeaderSeen = [];
  const lucia = createLucia(db, { secure: false });
  decidePostsDirectly(discussionPosts(() => ({ db, auth: { db, lucia, secret: Buffer.alloc(32, 7) }, essayOf: async (slug) => (slug === ESSAY.slug ? ESSAY : null) })));
  authorId = (await makeUser(db, { displayName: 'Ada' })).id;
  commentId = await makeComment(db, { essay: ESSAY.slug, authorId, body: 'Convenience has a price.' });
  const reader = await makeUser(db, { displayName: 'Bo' });
  const session = await sessionCookie(db, reader.id);
  cookie = `${session.name}=${session.value}`;
});
afterEach(() => {
  // Every outcome handed on was taken by its page.
  expect(handedOutcomesWaiting()).toBe(0);
  decidePostsDirectly(undefined);
  closeDatabase(db);
});

const likeCount = () => db.select({ n: count() }).from(likes).get()!.n;
const commentCount = () => db.select({ n: count() }).from(comments).get()!.n;

describe('likes and new comments decided before Astro', () => {
  it('likes for the script and without it, never reaching Astro', async () => {
    const fragment = await post(`/comments/${commentId}/like`, { liked: '1' }, { cookie, 'x-discussion-fragment': '1' });
    expect(fragment.status).toBe(200);
    expect(fragment.body).toMatch(/^<!DOCTYPE html><form method="post" action="\/comments\/\d+\/like" class="like-form"/);
    expect(fragment.body).toContain('aria-pressed="true"');
    expect(fragment.body).toContain('Liked by 1 person');
    expect(fragment.headers['cache-control']).toBe('private, no-store');
    expect(fragment.headers['content-security-policy']).toBeDefined();
    expect(likeCount()).toBe(1);

    const page = await post(`/comments/${commentId}/like/?from=here`, { liked: '0' }, { cookie });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(`/discussion/${ESSAY.slug}/#comment-${commentId}`);
    expect(likeCount()).toBe(0);
    expect(reached).toEqual([]);
  });

  it('posts a comment for the script (201, with its counts) and without it (303), never reaching Astro', async () => {
    const fragment = await post('/comments/new', { essay: ESSAY.slug, body: 'And *who* pays it?' }, { cookie, 'x-discussion-fragment': '1' });
    expect(fragment.status).toBe(201);
    expect(fragment.body).toContain('<em>who</em>');
    expect(fragment.headers['x-comment-count']).toBe('2');
    expect(fragment.headers['x-list-owner']).toBeDefined();
    const page = await post('/comments/new', { essay: ESSAY.slug, parent: String(commentId), body: 'A reply.' }, { cookie });
    expect(page.status).toBe(303);
    expect(page.headers.location).toMatch(new RegExp(`^/discussion/${ESSAY.slug}/?#comment-\\d+$`));
    expect(commentCount()).toBe(3);
    expect(reached).toEqual([]);
  });

  it('hands a refusal to the page with the body, acting once: the page renders what the handler answered', async () => {
    // Thirty likes a minute, then 429: the 31st reaches the page, handed the refusal.
    for (let i = 0; i < 30; i++) expect((await post(`/comments/${commentId}/like`, { liked: String(i % 2) }, { cookie, 'x-discussion-fragment': '1' })).status).toBe(200);
    await post(`/comments/${commentId}/like`, { liked: '1' }, { cookie, 'x-discussion-fragment': '1' });
    expect(reached).toHaveLength(1);
    expect(reached[0]!.body).toBe('liked=1');
    expect(reached[0]!.handed).toMatchObject({ refusal: { code: 'rate-limited' }, view: { kind: 'refused' } });
    // The thirty counted; the refused one changed nothing.
    expect(db.select({ n: count() }).from(authAttempts).get()!.n).toBe(30);

    // A refused comment: its form and text go to the page; nothing stored.
    reached = [];
    await post('/comments/new', { essay: ESSAY.slug, body: '   ' }, { cookie, 'x-discussion-fragment': '1' });
    expect(reached[0]!.handed).toMatchObject({ view: { kind: 'form', form: { value: '   ' } }, refusal: { message: expect.any(String) } });
    expect(commentCount()).toBe(1);
  });

  it('leaves to Astro, unread and undecided, every post it does not take whole', async () => {
    const other = { 'x-discussion-fragment': '1' };
    await post(`/comments/${commentId}/like`, { liked: '1' }, other); // signed out
    await post(`/comments/${commentId}/like`, { liked: '1' }, { ...other, cookie: 'session=not-a-session' });
    await post(`/comments/${commentId}/like`, { liked: '1' }, { ...other, cookie, origin: 'http://elsewhere.example' });
    await post(`/comments/${commentId}/like`, { liked: '1' }, { ...other, cookie, origin: '' });
    await post(`/comments/${commentId}/like`, { liked: '1' }, { ...other, cookie, 'content-type': 'text/plain' });
    await post(`/comments/%31/like`, { liked: '1' }, { ...other, cookie });
    await post(`/comments/${commentId}/unlike`, { liked: '1' }, { ...other, cookie });
    await post(`/comments/${commentId}/like`, { liked: '1' }, { ...other, cookie, 'content-length': String(200 * 1024) }).catch(() => null);
    // Read, but not text: the middleware refuses it the same way with the body it is given.
    await post(`/comments/${commentId}/like`, 'liked=%FF', { ...other, cookie });
    expect(likeCount()).toBe(0);
    expect(reached.every((r) => r.handed === undefined)).toBe(true);
    expect(reached).toHaveLength(9);
    // The body it read goes on with the request.
    expect(reached.at(-1)!.body).toBe('liked=%FF');
  });

  it('leaves a session due for renewal to Astro, which renews it', async () => {
    db.update(sessions).set({ lastUsedAt: Date.now() - 10 * 60 * 1000 }).run();
    await post(`/comments/${commentId}/like`, { liked: '1' }, { cookie, 'x-discussion-fragment': '1' });
    expect(reached).toHaveLength(1);
    expect(reached[0]!.handed).toBeUndefined();
    expect(likeCount()).toBe(0);
  });

  it('never passes on a client\'s handed-outcome header, and hands a failure to the page to throw', async () => {
    await post(`/comments/${commentId}/like`, { liked: '1' }, { 'x-handed-outcome': 'guess', 'x-discussion-fragment': '1' });
    expect(handedHeaderSeen).toEqual([undefined]);

    closeDatabase(db);
    await post(`/comments/${commentId}/like`, { liked: '1' }, { cookie, 'x-discussion-fragment': '1' });
    expect(reached[1]!.handed).toMatchObject({ threw: expect.stringMatching(/database|open/i) });
    db = createDatabase();
  });

  it('hands nothing on for a client that left while its post was decided, and leaves no outcome waiting', async () => {
    let decided!: () => void;
    const clientGone = new Promise<void>((resolve) => (decided = resolve));
    decidePostsDirectly({
      claims: () => true,
      decide: async () => {
        await clientGone;
        return { astro: true, handed: { view: 'a refusal nobody will see' } };
      },
    });
    const req = request(`${base}/comments/${commentId}/like`, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' } });
    req.on('error', () => {});
    req.end('liked=1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    decided();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reached).toEqual([]);
    expect(handedOutcomesWaiting()).toBe(0);
  });

  it('tells a same-origin post as Astro does', () => {
    const head = (origin: string | undefined, hostHeader: string | undefined, encrypted = false) => ({ url: '/comments/1/like', headers: { origin, host: hostHeader }, encrypted });
    expect(sameOrigin(head('http://example.org', 'example.org'))).toBe(true);
    expect(sameOrigin(head('https://example.org', 'example.org', true))).toBe(true);
    expect(sameOrigin(head('http://example.org:80', 'example.org:80'))).toBe(false);
    expect(sameOrigin(head('http://example.org', 'example.org:80'))).toBe(true);
    expect(sameOrigin(head('https://example.org', 'example.org'))).toBe(false);
    expect(sameOrigin(head('http://example.org', 'evil.example'))).toBe(false);
    expect(sameOrigin(head('null', 'example.org'))).toBe(false);
    expect(sameOrigin(head(undefined, 'example.org'))).toBe(false);
    expect(sameOrigin(head('http://example.org', undefined))).toBe(false);
    expect(sameOrigin(head('http://a', 'a b'))).toBe(false);
  });
});

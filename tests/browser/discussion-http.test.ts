// The discussion routes over HTTP against the real built server: post/redirect/get, refusals
// that keep the reader's text with a fitting status, fragments for the script, and no 500s.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, discussions, likes } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('the discussion routes', () => {
  let server: RunningServer;
  const cookies = new Map<string, string>();
  const users: Record<string, { id: string; username: string }> = {};

  beforeAll(async () => {
    server = await startServer();
    for (const name of ['ada', 'bob', 'cy', 'dee', 'eve']) {
      users[name] = await makeUser(server.db, { username: name, displayName: name.toUpperCase() });
      const c = await sessionCookie(server.db, users[name]!.id);
      cookies.set(name, `${c.name}=${c.value}`);
    }
  });
  afterAll(() => server?.stop());

  function post(path: string, fields: Record<string, string>, options: { as?: string; fragment?: boolean; origin?: string | null } = {}) {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (options.origin !== null) headers.Origin = options.origin ?? server.url;
    if (options.as) headers.Cookie = cookies.get(options.as)!;
    if (options.fragment) headers['X-Discussion-Fragment'] = '1';
    return fetch(`${server.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
  }
  const get = (path: string, as?: string, fragment = false) =>
    fetch(`${server.url}${path}`, { headers: { ...(as ? { Cookie: cookies.get(as)! } : {}), ...(fragment ? { 'X-Discussion-Fragment': '1' } : {}) }, redirect: 'manual' });

  it('posts a comment without JavaScript, then redirects to it (post/redirect/get)', async () => {
    const response = await post('/comments/new', { essay: ESSAY, body: 'A *plain* form post.' }, { as: 'ada' });
    expect(response.status).toBe(303);
    const row = server.db.select().from(comments).where(eq(comments.bodySource, 'A *plain* form post.')).get()!;
    expect(response.headers.get('location')).toBe(`/discussion/${ESSAY}/#comment-${row.id}`);
    const page = await (await get(`/discussion/${ESSAY}/`)).text();
    expect(page).toContain(`id="comment-${row.id}"`);
    expect(page).toContain('A <em>plain</em> form post.');
  });

  it('answers the script with the rendered comment and where it goes', async () => {
    const parent = server.db.select().from(comments).where(eq(comments.bodySource, 'A *plain* form post.')).get()!;
    const response = await post('/comments/new', { essay: ESSAY, parent: String(parent.id), body: 'A reply, in place.' }, { as: 'bob', fragment: true });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-list-owner')).toBe(String(parent.id));
    const html = await response.text();
    expect(html).toMatch(/<li id="comment-\d+"[^>]*data-depth="1"/);
    expect(html).toContain('A reply, in place.');
    expect(html).not.toContain('<html');
  });

  it('gives refused comments back in their form with the text, the reason and a fitting status', async () => {
    const cases: [Record<string, string>, string | undefined, number, RegExp][] = [
      [{ essay: ESSAY, body: '   ' }, 'cy', 400, /empty/],
      [{ essay: ESSAY, body: 'long '.repeat(2001) }, 'cy', 400, /at most 10,000/],
      [{ essay: 'no-such-essay', body: 'kept text 1' }, 'cy', 404, /no essay/],
      [{ essay: ESSAY, parent: '987654', body: 'kept text 2' }, 'cy', 404, /no longer there/],
      [{ essay: ESSAY, parent: 'abc', body: 'kept text 3' }, 'cy', 400, /points at no comment/],
      [{ essay: ESSAY, body: 'kept text 4' }, undefined, 401, /Sign in to join the discussion/],
    ];
    for (const [fields, as, status, reason] of cases) {
      const response = await post('/comments/new', fields, { as });
      expect(response.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
      const html = await response.text();
      expect(html).toMatch(reason);
      if (fields.body!.trim()) expect(html).toContain(fields.body!.trim().slice(0, 50));
    }
    expect(server.db.select().from(comments).where(eq(comments.authorId, users.cy!.id)).all()).toEqual([]);
  });

  it('refuses a closed discussion, keeping the text', async () => {
    server.db.insert(discussions).values({ essay: ESSAY, closed: true, updatedAt: Date.now() }).run();
    try {
      const response = await post('/comments/new', { essay: ESSAY, body: 'Too late to the party.' }, { as: 'cy' });
      expect(response.status).toBe(403);
      const html = await response.text();
      expect(html).toContain('Too late to the party.');
      expect(html).toContain('closed');
      const island = await (await get(`/discussion/${ESSAY}/`, 'cy')).text();
      expect(island).toContain('This discussion is closed');
      expect(island).not.toContain('data-comment-form');
    } finally {
      server.db.delete(discussions).run();
    }
  });

  it('answers 429 with Retry-After once an account posts more than 5 comments a minute', async () => {
    for (let i = 0; i < 5; i++) expect((await post('/comments/new', { essay: ESSAY, body: `dee ${i}` }, { as: 'dee' })).status).toBe(303);
    const response = await post('/comments/new', { essay: ESSAY, body: 'dee, once more' }, { as: 'dee' });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.text()).toContain('dee, once more');
  });

  it('makes one comment of a double submission', async () => {
    const first = await post('/comments/new', { essay: ESSAY, body: 'Clicked twice.' }, { as: 'eve' });
    const second = await post('/comments/new', { essay: ESSAY, body: 'Clicked twice.' }, { as: 'eve' });
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(server.db.select().from(comments).where(eq(comments.bodySource, 'Clicked twice.')).all()).toHaveLength(1);
  });

  it('refuses cross-site posts (origin check)', async () => {
    const response = await post('/comments/new', { essay: ESSAY, body: 'from elsewhere' }, { as: 'eve', origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(server.db.select().from(comments).where(eq(comments.bodySource, 'from elsewhere')).all()).toEqual([]);
  });

  it('keeps the like count equal to the stored likes under concurrent toggling', async () => {
    const target = await makeComment(server.db, { essay: ESSAY, authorId: users.ada!.id, body: 'Like me, concurrently.' });
    const likers = [];
    for (let i = 0; i < 12; i++) {
      const user = await makeUser(server.db);
      likers.push(`session=${(await sessionCookie(server.db, user.id)).value}`);
    }
    const requests = [];
    for (let round = 0; round < 4; round++) {
      for (const [i, cookie] of likers.entries()) {
        requests.push(
          fetch(`${server.url}/comments/${target}/like`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie, 'X-Discussion-Fragment': '1' },
            body: new URLSearchParams({ liked: (round + i) % 2 ? '1' : '0' }),
          }).then((r) => r.status),
        );
      }
    }
    expect(new Set(await Promise.all(requests))).toEqual(new Set([200]));
    const stored = server.db.select().from(likes).where(eq(likes.commentId, target)).all().length;
    expect(stored).toBe(6);
    expect(server.db.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, target)).get()!.n).toBe(stored);
  });

  it('refuses likes on own, missing and hidden comments, changing nothing', async () => {
    const own = await makeComment(server.db, { essay: ESSAY, authorId: users.eve!.id, body: 'mine' });
    expect((await post(`/comments/${own}/like`, { liked: '1' }, { as: 'eve' })).status).toBe(403);
    expect((await post('/comments/999999/like', { liked: '1' }, { as: 'eve' })).status).toBe(404);
    server.db.update(comments).set({ status: 'hidden' }).where(eq(comments.id, own)).run();
    // A hidden comment is missing to readers, as one that never was.
    expect((await post(`/comments/${own}/like`, { liked: '1' }, { as: 'ada' })).status).toBe(404);
    expect(server.db.select().from(likes).where(eq(likes.commentId, own)).all()).toEqual([]);
  });

  it('sends a permalink to the later page that holds the comment', async () => {
    const author = await makeUser(server.db);
    let last = 0;
    for (let i = 0; i < 55; i++) last = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: `filler ${i}`, createdAt: Date.now() + 60_000 + i });
    const response = await get(`/comments/${last}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/discussion/${ESSAY}/?page=2#comment-${last}`);
    const scripted = await get(`/comments/${last}`, undefined, true);
    expect(scripted.headers.get('x-comment-page')).toBe('2');
    const page2 = await (await get(`/discussion/${ESSAY}/?page=2`)).text();
    expect(page2).toContain(`id="comment-${last}"`);
    const first = await (await get(`/discussion/${ESSAY}/`)).text();
    expect(first).not.toContain(`id="comment-${last}"`);
    expect(first).toContain(`href="/discussion/${ESSAY}/?page=2"`);
  });

  it('shows moderated and pending comments as the rules say', async () => {
    const hidden = await makeComment(server.db, { essay: ESSAY, authorId: users.bob!.id, body: 'Something abusive.', createdAt: 1000 });
    await makeComment(server.db, { essay: ESSAY, authorId: users.ada!.id, body: 'A reply that stays.', parentId: hidden, createdAt: 1001 });
    server.db.update(comments).set({ status: 'hidden', moderationReason: 'abuse' }).where(eq(comments.id, hidden)).run();
    const pending = await makeComment(server.db, { essay: ESSAY, authorId: users.eve!.id, body: 'Held for review.', createdAt: 1002 });
    server.db.update(comments).set({ status: 'pending' }).where(eq(comments.id, pending)).run();
    const asOthers = await (await get(`/discussion/${ESSAY}/`, 'ada')).text();
    expect(asOthers).toContain('[removed by a moderator: abuse]');
    expect(asOthers).not.toContain('Something abusive.');
    expect(asOthers).toContain('A reply that stays.');
    expect(asOthers).not.toContain('Held for review.');
    const asAuthor = await (await get(`/discussion/${ESSAY}/`, 'eve')).text();
    expect(asAuthor).toContain('Held for review.');
    expect(asAuthor).toContain('Awaiting moderation');
  });

  it('serves RSS feeds of the latest comments, per essay and for the site', async () => {
    for (const path of [`/discussion/${ESSAY}/feed.xml`, '/discussion/feed.xml']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/rss+xml');
      const xml = await response.text();
      expect(xml).toMatch(/^<\?xml/);
      expect(xml).toContain('<item>');
      expect(xml).toContain('&lt;p&gt;');
    }
    expect((await get('/discussion/nope/feed.xml')).status).toBe(404);
  });

  it('answers a held comment as a missing one to whoever may not read it, on every route (its author and moderators as before)', async () => {
    const held = await makeComment(server.db, { essay: ESSAY, authorId: users.eve!.id, body: 'Held, and not to be told.', createdAt: Date.now() });
    server.db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    const missing = held + 100_000;
    // Status, Location and what the page says (the body up to the footer, the id left out) are the same for both.
    const answer = async (response: Response, id: number) => {
      const text = await response.text();
      const seen = { status: response.status, location: response.headers.get('location'), message: /<main[\s\S]*<\/main>/.exec(text)?.[0] ?? text };
      return JSON.parse(JSON.stringify(seen).replace(new RegExp(`(?<!\\d)${id}(?!\\d)`, 'g'), 'ID'));
    };
    const routes = (id: number, as?: string) => [
      ['permalink', () => get(`/comments/${id}`, as)],
      ['permalink for the script', () => get(`/comments/${id}`, as, true)],
      ['edit form', () => get(`/comments/${id}/edit`, as)],
      ['edit', () => post(`/comments/${id}/edit`, { body: 'hijacked' }, { as })],
      ['delete page', () => get(`/comments/${id}/delete`, as)],
      ['delete', () => post(`/comments/${id}/delete`, {}, { as })],
      ['like', () => post(`/comments/${id}/like`, { liked: '1' }, { as })],
      ['reply', () => post('/comments/new', { essay: ESSAY, parent: String(id), body: 'a reply' }, { as })],
    ] as const;
    const gus = await makeUser(server.db, { username: 'gus', displayName: 'GUS' });
    const c = await sessionCookie(server.db, gus.id);
    cookies.set('gus', `${c.name}=${c.value}`);
    for (const as of [undefined, 'gus']) {
      const heldRoutes = routes(held, as);
      const missingRoutes = routes(missing, as);
      for (const [i, [name, request]] of heldRoutes.entries()) {
        const asHeld = await answer(await request(), held);
        expect(asHeld, `${name} as ${as ?? 'signed out'}`).toEqual(await answer(await missingRoutes[i]![1](), missing));
        if (as) expect(asHeld.status, name).toBe(404);
      }
    }
    expect((await get(`/comments/${held}`)).status).toBe(404);
    expect(server.db.select().from(comments).where(eq(comments.id, held)).get()).toMatchObject({ bodySource: 'Held, and not to be told.', status: 'pending', likeCount: 0 });
    // Its author is still sent to it.
    expect((await get(`/comments/${held}`, 'eve')).status).toBe(303);
    expect((await get(`/comments/${held}/edit`, 'eve')).status).toBe(200);
  });

  it('sends Retry-After with every 429: edits over the limit, as a page and as a fragment', async () => {
    const fay = await makeUser(server.db, { username: 'fay', displayName: 'FAY' });
    const c = await sessionCookie(server.db, fay.id);
    cookies.set('fay', `${c.name}=${c.value}`);
    const id = await makeComment(server.db, { essay: ESSAY, authorId: fay.id, body: 'Edit me often.', createdAt: Date.now() });
    for (let i = 0; i < 10; i++) expect((await post(`/comments/${id}/edit`, { body: `edit ${i}` }, { as: 'fay' })).status).toBe(303);
    for (const fragment of [false, true]) {
      const response = await post(`/comments/${id}/edit`, { body: 'one edit too many' }, { as: 'fay', fragment });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.text()).toContain('one edit too many');
    }
  });

  it('reads path ids one way: 01, 1.0, +1, " 1" and 1e0 are no comment (404)', async () => {
    const id = await makeComment(server.db, { essay: ESSAY, authorId: users.ada!.id, body: 'The one and only.', createdAt: Date.now() });
    expect((await get(`/comments/${id}`)).status).toBe(303);
    for (const loose of [`0${id}`, `${id}.0`, `+${id}`, `%20${id}`, `${id}%20`, `${Number(id).toExponential()}`.replace('+', ''), `0x${id.toString(16)}`]) {
      expect((await get(`/comments/${loose}`)).status, loose).toBe(404);
      expect((await get(`/comments/${loose}/edit`, 'ada')).status, loose).toBe(404);
      expect((await get(`/comments/${loose}/delete`, 'ada')).status, loose).toBe(404);
      expect((await post(`/comments/${loose}/like`, { liked: '1' }, { as: 'bob' })).status, loose).toBe(404);
      expect((await post(`/comments/${loose}/edit`, { body: 'changed' }, { as: 'ada' })).status, loose).toBe(404);
      expect((await post('/comments/new', { essay: ESSAY, parent: loose, body: 'a reply' }, { as: 'bob' })).status, loose).toBe(400);
    }
    expect(server.db.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject({ bodySource: 'The one and only.', likeCount: 0 });
  });

  it('never answers bad input with a 500', async () => {
    const island = `/_server-islands/Discussion?e=${'A'.repeat(40)}&p=forged&s=`;
    expect((await get(island)).status).toBe(400);
    const probes: Promise<Response>[] = [
      get('/comments/abc'),
      get('/comments/99999999999999999999'),
      get('/comments/0/edit', 'ada'),
      get('/comments/123456/delete', 'ada'),
      get(`/discussion/${ESSAY}/?page=-3&sort=%27;drop`),
      get('/discussion/..%2F..%2Fetc/'),
      get('/comments/new?essay=../x&parent=%00', 'ada'),
      post('/comments/abc/like', { liked: 'maybe' }, { as: 'ada' }),
      post('/comments/1/edit', {}, { as: 'ada' }),
      post('/comments/1/delete', {}, { as: 'bob' }),
      post('/comments/new', {}, { as: 'ada' }),
      fetch(`${server.url}/comments/new`, { method: 'POST', headers: { Origin: server.url, Cookie: cookies.get('ada')!, 'Content-Type': 'application/json' }, body: '{"x":' }),
      fetch(`${server.url}/comments/new`, { method: 'POST', headers: { Origin: server.url, Cookie: cookies.get('ada')!, 'Content-Type': 'multipart/form-data; boundary=x' }, body: 'garbage' }),
    ];
    for (const response of await Promise.all(probes)) expect(response.status, response.url).toBeLessThan(500);
  });
});

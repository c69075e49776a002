// The built server answers a like or a new comment the same whether it was decided before Astro
// (urlencoded, as the script and the no-script forms send it: src/server/direct-posts.ts) or by
// its page in Astro (multipart, which the direct path leaves to the page). How the direct path
// decides, with a stand-in for Astro: tests/integration/direct-posts.test.ts.
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { likes, sessions } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';
// Not the Content-Security-Policy: a page's lists its hashes; a direct answer, a fragment never
// shown as a document, allows nothing (checked below).
const COMPARED = ['content-type', 'cache-control', 'vary', 'content-encoding', 'retry-after', 'location'];

/** The same fields as multipart: the page in Astro decides it. */
function postMultipart(url: string, fields: Record<string, string>, cookie: string, headers: Record<string, string> = {}): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return fetch(url, { method: 'POST', redirect: 'manual', body, headers: { origin: new URL(url).origin, cookie, ...headers } });
}

async function answer(response: Response) {
  return { status: response.status, headers: Object.fromEntries(COMPARED.map((name) => [name, response.headers.get(name)])), body: await response.text() };
}

/** Ada's comment, Bo signed in to like it, and the site loaded (with it the direct path). */
async function likeable(server: RunningServer) {
  const ada = await makeUser(server.db, { displayName: 'Ada' });
  const id = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Convenience has a price.' });
  const bo = await makeUser(server.db, { displayName: 'Bo' });
  await fetch(`${server.url}/comments/new`);
  return { cookie: cookieHeader(await sessionCookie(server.db, bo.id)), like: `${server.url}/comments/${id}/like` };
}

describe.skipIf(!browserPath())('likes and new comments, decided before Astro or by their pages', () => {
  it('answers the same either way: the button, the redirect, a refusal with its wait', async () => {
    const server = await startServer();
    try {
      const { cookie, like } = await likeable(server);
      const script = { 'x-discussion-fragment': '1' };

      const directResponse = await postForm(like, { liked: '1' }, { cookie, headers: script });
      expect(directResponse.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
      const direct = await answer(directResponse);
      expect(direct.status).toBe(200);
      expect(direct.body).toContain('aria-pressed="true"');
      expect(await answer(await postMultipart(like, { liked: '0' }, cookie, script))).toMatchObject({ status: 200 });
      expect(await answer(await postMultipart(like, { liked: '1' }, cookie, script))).toEqual(direct);

      const redirect = await answer(await postForm(like, { liked: '0' }, { cookie }));
      expect(redirect.status).toBe(303);
      expect(await answer(await postMultipart(like, { liked: '0' }, cookie))).toEqual(redirect);

      // Thirty likes a minute: the direct path counts and refuses; the page renders what it was handed.
      for (let i = 0; i < 26; i++) await postForm(like, { liked: String(i % 2) }, { cookie, headers: script });
      const refused = await answer(await postForm(like, { liked: '1' }, { cookie, headers: script }));
      expect(refused.status).toBe(429);
      expect(refused.body).toMatch(/^<!DOCTYPE html><p class="form-error" role="alert">You are liking faster than the discussion allows/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const refusedByPage = await answer(await postMultipart(like, { liked: '1' }, cookie, script));
      expect({ ...refusedByPage, headers: { ...refusedByPage.headers, 'retry-after': null }, body: refusedByPage.body.replace(/Wait \d+ seconds?/, '') }).toEqual({
        ...refused,
        headers: { ...refused.headers, 'retry-after': null },
        body: refused.body.replace(/Wait \d+ seconds?/, ''),
      });
      // The whole page without the script, handed the same refusal.
      const page = await postForm(like, { liked: '1' }, { cookie });
      expect(page.status).toBe(429);
      expect(await page.text()).toMatch(/<title>Like not saved[^<]*<\/title>[\s\S]*You are liking faster/);
    } finally {
      await server.stop();
    }
  });

  it('gives the script the new comment the same either way, and refuses the same', async () => {
    const server = await startServer();
    try {
      const bo = await makeUser(server.db, { displayName: 'Bo' });
      const cookie = cookieHeader(await sessionCookie(server.db, bo.id));
      const url = `${server.url}/comments/new`;
      const script = { 'x-discussion-fragment': '1' };
      await fetch(`${server.url}/comments/new`);
      const direct = await postForm(url, { essay: ESSAY, body: 'Who pays for *convenience*?' }, { cookie, headers: script });
      const byPage = await postMultipart(url, { essay: ESSAY, body: 'Who pays for *convenience*? Again.' }, cookie, script);
      expect([direct.status, byPage.status]).toEqual([201, 201]);
      expect(direct.headers.get('x-comment-count')).toBe('1');
      expect(byPage.headers.get('x-comment-count')).toBe('2');
      for (const name of ['x-list-owner', 'x-passage-counts', 'content-type', 'cache-control']) expect(direct.headers.get(name)).toBe(byPage.headers.get(name));
      // The same markup but for the comment's id and words.
      const normal = (html: string) => html.replace(/ Again\./, '').replace(/\d+/g, 'N');
      const [a, b] = [normal(await direct.text()), normal(await byPage.text())];
      expect(a).toBe(b);

      const empty = await answer(await postForm(url, { essay: ESSAY, body: '   ' }, { cookie, headers: script }));
      expect(empty.status).toBeGreaterThanOrEqual(400);
      expect(empty.body).toContain('<form');
      expect(await answer(await postMultipart(url, { essay: ESSAY, body: '   ' }, cookie, script))).toEqual(empty);
    } finally {
      await server.stop();
    }
  });

  it('leaves a session due for renewal, and a post from elsewhere, to Astro', async () => {
    const server = await startServer();
    try {
      const { cookie, like } = await likeable(server);

      const elsewhere = await postForm(like, { liked: '1' }, { cookie, origin: 'http://elsewhere.example', headers: { 'x-discussion-fragment': '1' } });
      expect(elsewhere.status).toBe(403);
      expect(server.db.select({ n: count() }).from(likes).get()!.n).toBe(0);

      server.db.update(sessions).set({ lastUsedAt: Date.now() - 10 * 60 * 1000 }).run();
      const renewed = await postForm(like, { liked: '1' }, { cookie, headers: { 'x-discussion-fragment': '1' } });
      expect(renewed.status).toBe(200);
      expect(renewed.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(true);
      expect(server.db.select({ n: count() }).from(likes).get()!.n).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

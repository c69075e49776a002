// Every HTML answer of the built server says its charset: `text/html; charset=utf-8` (outside
// review: `/discussion/<essay>/` was served as bare `text/html`). Astro heads the pages, fragments
// and islands it renders with `text/html` alone; the built files always said utf-8
// (precompressed-static.ts). The charset is settled where every response's head is
// (src/server/response-head.ts), so the discussion page, its fragment, the island (rendered, or
// answered from its cache before Astro), the direct posts' fragments and the other on-demand pages
// all carry it, compressed or not, for a GET and a HEAD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';
const HTML = 'text/html; charset=utf-8';

describe.skipIf(!browserPath())('the charset of HTML answers', () => {
  let server: RunningServer;
  let cookie: string;
  let boCookie: string;
  let comment: number;

  beforeAll(async () => {
    server = await startServer();
    const ada = await makeUser(server.db, { displayName: 'Ada Lovelace' });
    cookie = cookieHeader(await sessionCookie(server.db, ada.id));
    comment = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Ünïcödé, “quoted” — and 微信' });
    const bo = await makeUser(server.db, { displayName: 'Bo' });
    boCookie = cookieHeader(await sessionCookie(server.db, bo.id));
  });
  afterAll(() => server?.stop());

  const typeOf = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    await response.arrayBuffer();
    return `${response.status} ${response.headers.get('content-type')}`;
  };

  it('serves the discussion page as UTF-8: signed out or in, whole or as a fragment, compressed or not, GET or HEAD', async () => {
    const path = `/discussion/${ESSAY}/`;
    expect(await typeOf(path)).toBe(`200 ${HTML}`);
    expect(await typeOf(path, { headers: { 'accept-encoding': 'identity' } })).toBe(`200 ${HTML}`);
    expect(await typeOf(path, { method: 'HEAD' })).toBe(`200 ${HTML}`);
    expect(await typeOf(`${path}?sort=newest`, { headers: { cookie } })).toBe(`200 ${HTML}`);
    expect(await typeOf(path, { headers: { 'x-discussion-fragment': '1' } })).toBe(`200 ${HTML}`);
    expect(await typeOf('/discussion/no-such-essay/')).toBe(`404 ${HTML}`);
    // The text arrives as it was written, read as UTF-8.
    expect(await (await fetch(`${server.url}${path}`)).text()).toContain('Ünïcödé, “quoted” — and 微信');
  });

  it('serves the island as UTF-8, rendered and then from its cache, and a direct post\'s fragment', async () => {
    const island = islandUrl(await (await fetch(`${server.url}/essays/${ESSAY}/`)).text());
    expect(await typeOf(island)).toBe(`200 ${HTML}`);
    expect(await typeOf(island)).toBe(`200 ${HTML}`);
    expect(await typeOf(island, { headers: { cookie } })).toBe(`200 ${HTML}`);
    // Bo likes Ada's comment (decided before Astro: the site is loaded by now).
    const liked = await postForm(`${server.url}/comments/${comment}/like`, { liked: '1' }, { cookie: boCookie, headers: { 'x-discussion-fragment': '1' } });
    expect(`${liked.status} ${liked.headers.get('content-type')}`).toBe(`200 ${HTML}`);
    expect(liked.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
  });

  it.each(['/signin', '/signup', '/signout', '/moderation', '/corrections/', '/u/nobody', '/comments/new', '/polls/no-such-poll/', '/', '/no-such-page'])(
    '%s says utf-8 too',
    async (path) => {
      expect(await typeOf(path)).toMatch(/^\d{3} text\/html; charset=utf-8$/);
    },
  );
});

// The built server behind real nginx with proxy_cache, configured by the very file the README
// gives for production (src/server/nginx/convenience-bargain.conf): signed-out readers are
// answered from the cache, a signed-in reader never gets anyone else's page, and a new comment
// reaches signed-out readers within the s-maxage the app sends. Lives with the browser tests
// because it needs the built site their global setup makes; it drives no browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MAX_AGE_SECONDS } from '../../src/server/conditional-get.ts';
import { browserPath } from '../support/browser.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { nginxPath, startNginx, type RunningNginx } from '../support/nginx.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';
const ENCODING = { 'accept-encoding': 'br, gzip' };

// nginxPath() first: with REQUIRE_NGINX=1 a missing nginx fails rather than skips.
const runnable = !!nginxPath() && !!browserPath();

describe.skipIf(!runnable)('behind nginx with proxy_cache', () => {
  let server: RunningServer;
  let nginx: RunningNginx;
  let island: string;
  let ada: { id: string; username: string; cookie: string };
  let grace: { id: string; username: string; cookie: string };
  let likedByAda: number;

  beforeAll(async () => {
    server = await startServer();
    const author = await makeUser(server.db, { displayName: 'Author Person' });
    likedByAda = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'A comment Ada likes.' });
    await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'Another comment.' });
    const reader = async (displayName: string) => {
      const user = await makeUser(server.db, { displayName });
      return { ...user, cookie: cookieHeader(await sessionCookie(server.db, user.id)) };
    };
    ada = await reader('Ada Lovelace');
    grace = await reader('Grace Hopper');
    const liked = await postForm(`${server.url}/comments/${likedByAda}/like`, { liked: '1' }, { cookie: ada.cookie });
    expect(liked.status).toBe(303);
    island = islandUrl(await (await fetch(`${server.url}/essays/${ESSAY}/`)).text());
    nginx = await startNginx(server.port);
  });

  afterAll(async () => {
    await nginx?.stop();
    await server?.stop();
  });

  const through = (path: string, cookie?: string) => fetch(nginx.url + path, { headers: { ...ENCODING, ...(cookie ? { cookie } : {}) } });

  it('never stores what it fetched for a signed-in reader, and serves signed-out readers from the cache', async () => {
    // First through the cache: a signed-in reader. Nothing of it may be kept for the next reader.
    const signedIn = await through(island, ada.cookie);
    expect(signedIn.headers.get('x-cache-status')).toBe('BYPASS');
    expect(signedIn.headers.get('cache-control')).toBe('private, no-cache');
    expect(await signedIn.text()).toContain('Ada Lovelace');

    const first = await through(island);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    const firstBody = await first.text();
    expect(firstBody).not.toMatch(/Signed in as|Ada Lovelace/);
    expect(firstBody).toContain('Another comment.');
    const second = await through(island);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    // The app's own compression and validators pass through.
    expect(second.headers.get('content-encoding')).toBe('br');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.text()).toBe(firstBody);

    for (const path of [`/discussion/${ESSAY}/`, `/discussion/${ESSAY}/feed.xml`, '/discussion/feed.xml']) {
      expect((await through(path)).headers.get('x-cache-status'), path).toBe('MISS');
      const again = await through(path);
      expect(again.headers.get('x-cache-status'), path).toBe('HIT');
      expect(again.headers.get('cache-control'), path).toMatch(/^public, .*s-maxage=/);
    }
    expect(nginx.errors()).not.toMatch(/\[(?:emerg|alert|crit)\]/);
  });

  it('never gives a signed-in reader another reader\'s page, however the requests interleave', async () => {
    // Written out on the discussion page; on the island a letter among the reader's own parts (its script draws it from templates: comment-html.ts).
    const liked = (html: string) => /aria-pressed="true"|data-acts="L/.test(html.replace(/<template data-control[\s\S]*?<\/template>/g, ''));
    for (let round = 0; round < 3; round++) {
      for (const path of [island, `/discussion/${ESSAY}/`]) {
        const [forAda, forGrace, signedOut] = [await through(path, ada.cookie), await through(path, grace.cookie), await through(path)];
        const [adaHtml, graceHtml, signedOutHtml] = [await forAda.text(), await forGrace.text(), await signedOut.text()];
        expect(forAda.headers.get('x-cache-status'), path).toBe('BYPASS');
        expect(forGrace.headers.get('x-cache-status'), path).toBe('BYPASS');
        expect(adaHtml, path).toMatch(/Signed in as <a [^>]*>Ada Lovelace<\/a>/);
        expect(adaHtml, path).not.toContain('Grace Hopper');
        expect(graceHtml, path).toMatch(/Signed in as <a [^>]*>Grace Hopper<\/a>/);
        expect(graceHtml, path).not.toContain('Ada Lovelace');
        expect(liked(adaHtml), path).toBe(true);
        expect(liked(graceHtml), path).toBe(false);
        expect(signedOutHtml, path).not.toMatch(/Signed in as|Ada Lovelace|Grace Hopper/);
      }
    }
  });

  it('shows a new comment to signed-out readers within the s-maxage the app sends', async () => {
    // An address no one asked for yet: the cache fills now, so the wait is the whole s-maxage.
    const path = `/discussion/${ESSAY}/?sort=newest`;
    const text = `Posted behind the cache ${Date.now()}.`;
    const cached = await through(path);
    const cachedAt = Date.now();
    expect(cached.headers.get('x-cache-status')).toBe('MISS');
    expect(await cached.text()).not.toContain(text);

    // Posted through nginx, as a reader's browser would.
    const posted = await postForm(`${nginx.url}/comments/new`, { essay: ESSAY, body: text }, { cookie: grace.cookie });
    expect(posted.status).toBe(303);

    // The cache still answers with its copy for now: it really is a cache.
    const stale = await through(path);
    expect(stale.headers.get('x-cache-status')).toBe('HIT');
    expect(await stale.text()).not.toContain(text);

    let seenAfterMs = -1;
    while (Date.now() - cachedAt < (SHARED_MAX_AGE_SECONDS + 5) * 1000) {
      if ((await (await through(path)).text()).includes(text)) {
        seenAfterMs = Date.now() - cachedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seenAfterMs).toBeGreaterThan(0);
    // Within s-maxage, give or take the one stale answer that starts the refresh.
    expect(seenAfterMs).toBeLessThan((SHARED_MAX_AGE_SECONDS + 1.5) * 1000);
  });
});

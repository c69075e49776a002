// The production setup: the site's address is https (SITE_URL) and a proxy ends TLS, so the
// server itself speaks plain http. A form from the site's own pages is accepted; one from another
// site is still refused (src/server/public-origin.ts, tests/integration/public-origin.test.ts).
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { likes } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { freePort, startServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

describe.skipIf(!browserPath())('forms behind a proxy that ends TLS', () => {
  it('takes a form from the site\'s own https pages and refuses one from elsewhere', async () => {
    const port = await freePort();
    const publicOrigin = `https://127.0.0.1:${port}`;
    const server = await startServer({ PORT: String(port), SITE_URL: `${publicOrigin}/` });
    try {
      const proxied = { 'x-forwarded-proto': 'https' };
      // Signing in: a wrong password is a 401 (the form was read), not the origin check's 403.
      const signIn = await postForm(`${server.url}/signin`, { username: 'nobody', password: 'wrong password' }, { origin: publicOrigin, headers: proxied });
      expect(signIn.status).toBe(401);
      const forged = await postForm(`${server.url}/signin`, { username: 'nobody', password: 'wrong password' }, { origin: 'https://elsewhere.example', headers: proxied });
      expect(forged.status).toBe(403);

      const ada = await makeUser(server.db, { displayName: 'Ada' });
      const id = await makeComment(server.db, { essay: 'wechat-app-for-everything', authorId: ada.id, body: 'Convenience has a price.' });
      const cookie = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db)).id));
      await fetch(`${server.url}/comments/new`);
      const like = await postForm(`${server.url}/comments/${id}/like`, { liked: '1' }, { cookie, origin: publicOrigin, headers: { ...proxied, 'x-discussion-fragment': '1' } });
      expect(like.status).toBe(200);
      expect(server.db.select({ n: count() }).from(likes).get()!.n).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

// Signed-out readers share one rendering of the discussion island until the database changes;
// signed-in readers always get their own.
import { describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader } from '../support/http.ts';
import { startServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('the signed-out island cache', () => {
  it('serves repeats from memory, renders again after any write, and never caches a signed-in reader', async () => {
    const server = await startServer();
    try {
      const ada = await makeUser(server.db, { displayName: 'Ada' });
      await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'First.' });
      const url = server.url + islandUrl(await (await fetch(`${server.url}/essays/${ESSAY}/`)).text());

      const first = await fetch(url);
      expect(first.headers.get('x-render-cache')).toBe('miss');
      const firstBody = await first.text();
      const second = await fetch(url);
      expect(second.headers.get('x-render-cache')).toBe('hit');
      expect(await second.text()).toBe(firstBody);

      // Written by another connection (the test's), as a second server process would.
      await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Second, written later.' });
      const third = await fetch(url);
      expect(third.headers.get('x-render-cache')).toBe('miss');
      expect(await third.text()).toContain('Second, written later.');

      const cookie = cookieHeader(await sessionCookie(server.db, ada.id));
      for (let i = 0; i < 2; i++) {
        const signedIn = await fetch(url, { headers: { cookie } });
        expect(signedIn.headers.get('x-render-cache')).toBeNull();
        expect(await signedIn.text()).toMatch(/Signed in as/);
      }
    } finally {
      await server.stop();
    }
  });
});

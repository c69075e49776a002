// A route asked with a method it does not take answers 405, its Allow header naming the methods it
// takes, with a short plain text (src/http/methods.ts): the one POST-only endpoint asked with a
// GET or a HEAD, the reading endpoints asked with a POST, a moderation page without a form asked
// with a POST. Astro answered the endpoints with its 404 page (outside review: "GET of a POST-only
// route answers 404"). Methods no route takes at all: tests/browser/request-guards.test.ts.
//
// /comments/new and a like's address are no POST-only routes, and keep their GET: the form to reply
// without JavaScript, and the comment for a like's address followed as a link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('methods a route does not take', () => {
  let server: RunningServer;
  let reader: string;
  let admin: string;
  let comment: number;

  beforeAll(async () => {
    server = await startServer();
    const ada = await makeUser(server.db, { displayName: 'Ada' });
    reader = cookieHeader(await sessionCookie(server.db, ada.id));
    admin = cookieHeader(await sessionCookie(server.db, (await makeUser(server.db, { role: 'admin' })).id));
    comment = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Convenience has a price.' });
  });
  afterAll(() => server?.stop());

  /** Status, Allow, Content-Type and the text of one answer. */
  async function answer(path: string, init: { method: string; cookie?: string; form?: Record<string, string> }) {
    const response = init.form
      ? await postForm(`${server.url}${path}`, init.form, { cookie: init.cookie })
      : await fetch(`${server.url}${path}`, { method: init.method, redirect: 'manual', headers: init.cookie ? { cookie: init.cookie } : {} });
    return { status: response.status, allow: response.headers.get('allow'), type: response.headers.get('content-type'), text: await response.text() };
  }

  const refused = (allow: string, text = 'Method not allowed.') => ({ status: 405, allow, type: 'text/plain; charset=utf-8', text });

  it('answers a GET or HEAD of the POST-only endpoint with 405 and Allow: POST, signed in or out; a POST still works', async () => {
    for (const cookie of [undefined, reader]) {
      expect(await answer('/account/sessions', { method: 'GET', cookie })).toEqual(refused('POST'));
      expect(await answer('/account/sessions', { method: 'HEAD', cookie })).toEqual(refused('POST', ''));
    }
    const signedOut = await postForm(`${server.url}/account/sessions`, { session: 'x' });
    expect([signedOut.status, signedOut.headers.get('location')]).toEqual([303, '/signin?next=%2Faccount']);
  });

  it('answers a POST to a reading endpoint with 405 and Allow: GET, HEAD; a GET still reads', async () => {
    const reading = ['/discussion/feed.xml', `/discussion/${ESSAY}/feed.xml`, `/discussion/${ESSAY}/events`, '/account/export', '/admin/log.csv'];
    for (const path of reading) expect(await answer(path, { method: 'POST', cookie: admin, form: { a: 'b' } }), path).toEqual(refused('GET, HEAD'));
    expect((await answer('/discussion/feed.xml', { method: 'GET' })).status).toBe(200);
    expect((await answer('/account/export', { method: 'GET', cookie: reader })).status).toBe(200);
  });

  it('answers a POST to a moderation page without a form the same way', async () => {
    expect(await answer('/admin/log', { method: 'POST', cookie: admin, form: { a: 'b' } })).toEqual(refused('GET, HEAD'));
  });

  it('keeps the GET of /comments/new (the reply form) and of a like (to the comment)', async () => {
    const form = await answer(`/comments/new?essay=${ESSAY}&parent=${comment}`, { method: 'GET', cookie: reader });
    expect(form.status).toBe(200);
    expect(form.text).toContain('Reply to a comment');
    const like = await fetch(`${server.url}/comments/${comment}/like`, { redirect: 'manual' });
    expect([like.status, like.headers.get('location')]).toEqual([303, `/comments/${comment}`]);
  });
});

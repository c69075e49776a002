// The built server's status lines, read off the socket: every answer says its status's standard
// reason phrase. On-demand pages that set a 404 (a missing profile, comment or discussion) went out
// as "404 OK", and a refused form as "401 OK". The layers on their own: tests/integration/reason-phrase.test.ts.
// Also, over the same wire, an author's edit refused while the discussion is closed, taken once reopened.
import { STATUS_CODES } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, discussions } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, postForm } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';
import { statusLine } from '../support/status-line.ts';

const ESSAY = 'wechat-app-for-everything';
const line = (status: number) => `HTTP/1.1 ${status} ${STATUS_CODES[status]}`;

describe.skipIf(!browserPath())('the built server\'s status lines', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it.each(['/no-such-page', '/essays/no-such-essay/', '/u/nobody', '/comments/999999', '/discussion/no-such-essay/', '/no-such-file.css', '/_astro/no-such.js'])(
    '%s answers "404 Not Found", compressed or not',
    async (path) => {
      expect(await statusLine(server.port, path)).toBe(line(404));
      expect(await statusLine(server.port, path, { headers: { 'accept-encoding': 'br, gzip' } })).toBe(line(404));
    },
  );

  it('says the standard phrase for a bad island request, a signed-out form and a redirect', async () => {
    expect(await statusLine(server.port, '/_server-islands/Nope')).toBe(line(400));
    const origin = server.url;
    const form = { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'body=typed' };
    expect(await statusLine(server.port, '/comments/999999/edit', form)).toBe(line(401));
    expect(await statusLine(server.port, '/comments/999999/edit')).toBe(line(303));
    expect(await statusLine(server.port, '/')).toBe(line(200));
  });

  it('refuses an author\'s edit inside the window while the discussion is closed (403, the text kept, the reason given), and takes it once reopened', async () => {
    const ada = await makeUser(server.db, { displayName: 'Ada Lovelace' });
    const cookie = cookieHeader(await sessionCookie(server.db, ada.id));
    const id = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'Stored words', createdAt: Date.now() - 60_000 });
    server.db.insert(discussions).values({ essay: ESSAY, closed: true, updatedAt: Date.now() }).run();

    const editLine = await statusLine(server.port, `/comments/${id}/edit`, {
      method: 'POST',
      headers: { origin: server.url, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'body=Typed+while+closed',
    });
    expect(editLine).toBe(line(403));
    const refused = await postForm(`${server.url}/comments/${id}/edit`, { body: 'Typed while closed' }, { cookie });
    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toContain('This discussion is closed: it takes no new comments, edits or likes.');
    expect(page).toContain('Typed while closed');
    expect(server.db.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject({ bodySource: 'Stored words', editedAt: null });

    server.db.update(discussions).set({ closed: false }).where(eq(discussions.essay, ESSAY)).run();
    const saved = await postForm(`${server.url}/comments/${id}/edit`, { body: 'Typed once reopened' }, { cookie });
    expect(saved.status).toBe(303);
    expect(server.db.select().from(comments).where(eq(comments.id, id)).get()!.bodySource).toBe('Typed once reopened');
  });
});

// Moderation's free text over plain HTTP against the real built server: an appeal, a flag note, a
// moderator's note and an answer holding NUL and bidi controls are stored and shown without them
// (security review: a right-to-left override in an appeal reordered what the admin read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appeals, comments, flags, users } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, getPage, postForm } from '../support/http.ts';
import { sessionCookie } from '../support/session.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const ESSAY = 'wechat-app-for-everything';
// eslint-disable-next-line no-control-regex -- finding NUL in the page is the point
const HIDDEN = /[\0\u202A-\u202E\u2066-\u2069]/;

describe.skipIf(!browserPath())('moderation free text over HTTP', () => {
  let server: RunningServer;
  let adminCookie = '';

  beforeAll(async () => {
    server = await startServer();
    const admin = await makeUser(server.db, { username: 'text_admin', role: 'admin' });
    adminCookie = cookieHeader(await sessionCookie(server.db, admin.id));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores and shows an appeal without NUL or bidi controls, and an answer the same way', async () => {
    const reader = await makeUser(server.db, { username: 'text_banned' });
    server.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.id, reader.id)).run();
    const cookie = cookieHeader(await sessionCookie(server.db, reader.id));
    const sent = await postForm(`${server.url}/moderation/appeal`, { about: 'ban', message: 'Please \u0000lift my ban: \u202Enoitcelloc\u202C \u2067ok\u2069.' }, { cookie });
    expect(sent.status).toBe(303);
    const stored = server.db.select().from(appeals).where(eq(appeals.userId, reader.id)).get()!;
    expect(stored.message).toBe('Please lift my ban: noitcelloc ok.');

    const page = await getPage(`${server.url}/admin/appeals`, adminCookie);
    const html = await page.text();
    expect(html).toContain('Please lift my ban: noitcelloc ok.');
    expect(html).not.toMatch(HIDDEN);

    const answered = await postForm(`${server.url}/admin/appeals`, { action: 'answer', id: String(stored.id), answer: '\u202EWe looked\u0000 again.', return: '/admin/appeals' }, { cookie: adminCookie });
    expect(answered.status).toBe(303);
    expect(server.db.select().from(appeals).where(eq(appeals.id, stored.id)).get()!.answer).toBe('We looked again.');
  });

  it('stores a flag note and a moderator’s hide note without them', async () => {
    const author = await makeUser(server.db, { username: 'text_author' });
    const flagger = await makeUser(server.db, { username: 'text_flagger' });
    const id = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'A comment to flag.' });
    const flagged = await postForm(`${server.url}/moderation/flag/${id}`, { reason: 'other', note: 'Looks \u202Eoff\u0000 to me' }, { cookie: cookieHeader(await sessionCookie(server.db, flagger.id)) });
    expect(flagged.status).toBe(303);
    expect(server.db.select().from(flags).where(eq(flags.commentId, id)).get()!.note).toBe('Looks off to me');

    const hidden = await postForm(`${server.url}/admin`, { action: 'hide', ids: String(id), reason: 'abuse', note: '\u2066Rude\u2069\u0008 reply', return: '/admin' }, { cookie: adminCookie });
    expect(hidden.status).toBe(303);
    const comment = server.db.select().from(comments).where(eq(comments.id, id)).get()!;
    expect(comment.status).toBe('hidden');
    expect(comment.moderationNote).toBe('Rude reply');
  });
});

// Every admin page and action, over real HTTP against the started server, for a signed-out
// visitor, a reader, a banned reader and an admin: only the admin gets through, and nothing
// changes for the others. (In the browser project because it needs the built site.)
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitAppeal } from '../../db/moderation/appeals.ts';
import { addBlockedPhrase } from '../../db/moderation/blocklist.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { countLog } from '../../db/moderation/moderation-log.ts';
import { appeals, comments, users } from '../../db/schema.ts';
import { banUser } from '../../db/moderation/user-moderation.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('admin authorisation over HTTP', () => {
  let server: RunningServer;
  const cookies: Record<'reader' | 'banned' | 'admin', string> = { reader: '', banned: '', admin: '' };
  let ids: { admin: string; reader: string; target: string; comment: number; reply: number; phrase: number; appeal: number };

  beforeAll(async () => {
    server = await startServer();
    const db = server.db;
    const admin = await makeAdmin(db, 'warden');
    const reader = await makeUser(db, { username: 'plainreader' });
    const banned = await makeUser(db, { username: 'bannedreader' });
    const target = await makeUser(db, { username: 'targetreader' });
    await banUser(db, admin, banned.id);
    const comment = await makeComment(db, { essay: ESSAY, authorId: target.id, body: 'A comment to moderate.' });
    const reply = await makeComment(db, { essay: ESSAY, authorId: target.id, body: 'A reply.', parentId: comment });
    const phrase = (await addBlockedPhrase(db, admin, 'forbidden words')).id;
    const hidden = await makeComment(db, { essay: ESSAY, authorId: target.id, body: 'Hidden, appealed.' });
    await moderateComments(db, admin, [hidden], 'hide', { reason: 'other' });
    const appeal = await submitAppeal(db, { userId: target.id, commentId: hidden, message: 'Please look at this again.' });
    ids = { admin: admin.id, reader: reader.id, target: target.id, comment, reply, phrase, appeal };
    const header = async (id: string) => {
      const { name, value } = await sessionCookie(db, id);
      return `${name}=${value}`;
    };
    cookies.reader = await header(reader.id);
    cookies.banned = await header(banned.id);
    cookies.admin = await header(admin.id);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const post = (path: string, body: Record<string, string>, cookie?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(body),
    });

  // A picture of everything an admin action can change.
  const snapshot = async () => ({
    log: await countLog(server.db),
    comments: server.db.select().from(comments).all(),
    users: server.db.select({ id: users.id, role: users.role, bannedAt: users.bannedAt }).from(users).all(),
    appeals: server.db.select().from(appeals).all(),
  });

  const pages = () => ['/admin', '/admin/appeals', '/admin?tab=flagged', '/admin/users?q=reader', `/admin/users/${ids.target}`, `/admin/comments/${ids.comment}`, '/admin/essays', '/admin/blocklist', '/admin/log?action=ban', '/admin/log.csv', '/admin/activity'];

  // Each form posts to the page that shows it; the comment actions are on several pages, and each takes them.
  type Form = Record<string, string> & { return: string };
  const actions = (): [string, Form][] => [
    ['/admin?tab=recent', { action: 'hide', ids: String(ids.comment), reason: 'abuse', return: '/admin' }],
    ['/admin', { action: 'spam', ids: String(ids.comment), return: '/admin' }],
    ['/admin/appeals', { action: 'restore', ids: String(ids.comment), return: '/admin' }],
    [`/admin/comments/${ids.comment}`, { action: 'approve', ids: String(ids.comment), return: '/admin' }],
    [`/admin/users/${ids.target}`, { action: 'purge', ids: String(ids.reply), return: '/admin' }],
    [`/admin/users/${ids.target}`, { action: 'ban', user: ids.target, return: '/admin/users' }],
    [`/admin/users/${ids.target}`, { action: 'unban', user: ids.target, return: '/admin/users' }],
    ['/admin/essays', { action: 'close', essay: ESSAY, return: '/admin/essays' }],
    ['/admin/essays', { action: 'reopen', essay: ESSAY, return: '/admin/essays' }],
    ['/admin/essays', { action: 'pin', comment: String(ids.comment), return: '/admin/essays' }],
    [`/admin/comments/${ids.comment}`, { action: 'unpin', essay: ESSAY, return: '/admin/essays' }],
    ['/admin/blocklist', { action: 'add', phrase: 'new phrase', return: '/admin/blocklist' }],
    ['/admin/blocklist', { action: 'remove', id: String(ids.phrase), return: '/admin/blocklist' }],
    ['/admin/blocklist', { action: 'rules', firstComment: 'on', links: 'on', linkLimit: '4', return: '/admin/blocklist' }],
    ['/admin/appeals', { action: 'answer', id: String(ids.appeal), answer: 'We looked again.', return: '/admin/appeals' }],
  ];

  it('sends a signed-out visitor to sign in, coming back afterwards, and changes nothing', async () => {
    for (const path of pages()) {
      const response = await get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe(`/signin?next=${encodeURIComponent(path)}`);
    }
    const before = await snapshot();
    for (const [path, body] of actions()) {
      const response = await post(path, body);
      expect(response.status, `${path} ${body.action}`).toBe(303);
      expect(response.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(body.return)}`);
    }
    expect(await snapshot()).toEqual(before);
  });

  for (const who of ['reader', 'banned'] as const) {
    it(`refuses a ${who} with 403 on every page and action, and changes nothing`, async () => {
      for (const path of pages()) {
        const response = await get(path, cookies[who]);
        expect(response.status, path).toBe(403);
        expect(await response.text()).toContain(who === 'banned' ? 'Your account is banned' : 'for moderators only');
      }
      const before = await snapshot();
      for (const [path, body] of actions()) expect((await post(path, body, cookies[who])).status, `${path} ${body.action}`).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('lets an admin see every page and perform every action, each one logged', async () => {
    for (const path of pages()) expect((await get(path, cookies.admin)).status, path).toBe(200);
    const before = await countLog(server.db);
    for (const [path, body] of actions()) {
      const response = await post(path, body, cookies.admin);
      expect(response.status, `${path} ${body.action}`).toBe(303);
      expect(response.headers.get('location')).toBe(body.return);
      // The flash is a notice, not a refusal.
      const page = await get(body.return, `${cookies.admin}; ${response.headers.get('set-cookie')!.split(';')[0]}`);
      expect(page.status, `${path} ${body.action}`).toBe(200);
    }
    // One entry per action; the ban hides nothing, so it is one entry too.
    expect((await countLog(server.db)) - before).toBe(actions().length);
    const comment = server.db.select().from(comments).where(eq(comments.id, ids.comment)).get()!;
    expect(comment.status).toBe('published');
  });

  it('refuses bad input in place: the same page, a clear message, a fitting status, what was typed, nothing changed', async () => {
    const before = await snapshot();
    const cases: [Form, string, number, string][] = [
      [{ action: 'hide', ids: '987654', reason: 'abuse', return: '/admin' }, '/admin', 404, 'There is no comment #987654'],
      [{ action: 'ban', user: ids.admin, return: '/admin/users' }, `/admin/users/${ids.admin}`, 409, 'You cannot ban yourself.'],
      [{ action: 'ban', user: 'nobody', return: '/admin/users' }, '/admin/users/nobody', 404, 'does not exist'],
      [{ action: 'add', phrase: '   ', form: 'blocklist-add', return: '/admin/blocklist' }, '/admin/blocklist', 400, 'Type a word or phrase to block.'],
      [{ action: 'add', phrase: 'z'.repeat(150), form: 'blocklist-add', return: '/admin/blocklist' }, '/admin/blocklist', 400, 'at most 100 characters'],
      [{ action: 'add', phrase: 'NEW  phrase', form: 'blocklist-add', return: '/admin/blocklist' }, '/admin/blocklist', 409, 'already on the blocklist'],
      [{ action: 'rules', linkLimit: 'lots', form: 'rules', return: '/admin/blocklist' }, '/admin/blocklist', 400, 'The link limit must be a whole number'],
      [{ action: 'pin', comment: 'abc', form: 'essay-x-pin', return: '/admin/essays' }, '/admin/essays', 400, '"abc" is not a comment number.'],
      [{ action: 'obliterate', ids: String(ids.comment), return: '/admin' }, '/admin', 400, 'Choose what to do with the selected comments.'],
      [{ action: 'obliterate', ids: String(ids.comment), return: '/admin/essays' }, '/admin/essays', 400, 'Choose one of the actions this page offers.'],
    ];
    for (const [body, path, status, message] of cases) {
      const response = await post(path, body, cookies.admin);
      expect(response.status, message).toBe(status);
      // No redirect and no cookie: the refusal is this response.
      expect(response.headers.get('set-cookie'), message).toBeNull();
      const html = await response.text();
      expect(html).toContain(message.replace(/"/g, '&quot;'));
      expect(html, message).toContain('role="alert"');
      if (body.form === 'blocklist-add' && body.phrase!.trim()) expect(html).toContain(`value="${body.phrase}"`);
      if (body.form === 'rules') expect(html).toContain('value="lots"');
    }
    expect(await snapshot()).toEqual(before);
    const notAForm = await fetch(`${server.url}/admin`, { method: 'POST', headers: { origin: server.url, 'content-type': 'text/plain', cookie: cookies.admin }, body: 'x' });
    expect(notAForm.status).toBe(415);
    const crossSite = await fetch(`${server.url}/admin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.admin },
      body: new URLSearchParams({ action: 'spam', ids: String(ids.comment) }),
    });
    expect(crossSite.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('lets readers flag, sends signed-out visitors to sign in, and refuses banned readers', async () => {
    expect((await post('/moderation/appeal', { about: 'ban', message: 'Please lift my ban.' })).headers.get('location')).toBe('/signin?next=%2Fmoderation%2Fappeal');
    const path = `/moderation/flag/${ids.comment}`;
    expect((await post(path, { reason: 'spam' })).headers.get('location')).toBe(`/signin?next=${encodeURIComponent(path)}`);
    expect((await post(path, { reason: 'spam' }, cookies.banned)).status).toBe(403);
    const flagged = await post(path, { reason: 'off-topic', note: 'wandering' }, cookies.reader);
    expect(flagged.status).toBe(303);
    const thanks = await get(path, `${cookies.reader}; ${flagged.headers.get('set-cookie')!.split(';')[0]}`);
    expect(await thanks.text()).toContain('Thank you: a moderator will look at this comment.');
    // A refused flag is the flag page again, with its status and message.
    const again = await post(path, { reason: 'spam' }, cookies.reader);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('You have already flagged this comment');
  });

  it('publishes aggregate moderation figures and the rules, with no names', async () => {
    const response = await get('/moderation');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Comments removed per month, by reason');
    for (const column of ['All removals', 'Held or flagged, then approved', 'Removed, then restored', 'Appeals answered', 'Accounts banned']) {
      expect(html).toContain(`<th scope="col">${column}</th>`);
    }
    expect(html).toContain('it contains 4 or more links');
    for (const name of ['warden', 'targetreader', 'plainreader', 'forbidden words']) expect(html).not.toContain(name);
    // Every page's footer leads there.
    expect(await (await get('/')).text()).toContain('<a href="/moderation">Moderation: what was removed, and why</a>');
  });
});

// Malformed requests against the real server: each gets a clear 4xx (shown on the page a
// refusal lands on, for post/redirect/get routes), never a 500, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { fingerprint, tableCounts } from '../support/db-fingerprint.ts';
import { islandUrl } from '../support/discussion-routes.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, formBody, send, type RawRequest } from '../support/http.ts';
import { sessionCookie } from '../support/session.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { passageBlocks } from '../support/passages.ts';

const ESSAY = 'wechat-app-for-everything';
const OTHER_ESSAY = 'fuchs-and-the-prosumer';

interface Context {
  reader: string;
  admin: string;
  comment: number;
  readerComment: number;
  elsewhere: number;
  island: string;
}

type Case = [name: string, build: (c: Context) => RawRequest];

const post = (path: string, fields: Record<string, string | string[]>, cookie: (c: Context) => string) => (c: Context): RawRequest => ({
  path,
  body: formBody(fields),
  cookie: cookie(c),
});
const asReader = (c: Context) => c.reader;
const asAdmin = (c: Context) => c.admin;
const comment = (fields: Record<string, string | string[]>) => post('/comments/new', fields, asReader);
/** A body streamed in `count` chunks of `size` bytes after a prefix: chunked transfer, no length. */
const chunked = (prefix: string, count: number, size: number) => {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode(prefix));
      if (sent++ < count) controller.enqueue(new Uint8Array(size).fill(0x61));
      else controller.close();
    },
  });
};
const invalidUtf8 = (prefix: string, suffix = '') => new Uint8Array([...Buffer.from(prefix), 0xc3, 0x28, 0xff, 0xfe, ...Buffer.from(suffix)]);

const CASES: Case[] = [
  // Comment bodies and fields.
  ['comment without a body', comment({ essay: ESSAY })],
  ['comment with an empty body', comment({ essay: ESSAY, body: '' })],
  ['comment of whitespace only', comment({ essay: ESSAY, body: ' \n\t\u00a0 ' })],
  ['comment one character over 10,000', comment({ essay: ESSAY, body: 'x'.repeat(10_001) })],
  ['comment body of 2 MB', comment({ essay: ESSAY, body: 'y'.repeat(2_000_000) })],
  ['comment of 1 MB sent chunked, with no length', (c) => ({ path: '/comments/new', body: chunked(`essay=${ESSAY}&body=`, 64, 16_384), cookie: c.reader })],
  ['comment without an essay', comment({ body: 'Hello' })],
  ['comment on an unknown essay', comment({ essay: 'no-such-essay', body: 'Hello' })],
  ['comment on an essay path with ../', comment({ essay: '../../etc/passwd', body: 'Hello' })],
  ['comment on an essay given twice', comment({ essay: ['no-such-essay', 'another'], body: 'Hello' })],
  ['reply to a negative id', comment({ essay: ESSAY, parent: '-1', body: 'Hello' })],
  ['reply to id 0', comment({ essay: ESSAY, parent: '0', body: 'Hello' })],
  ['reply to a huge id', comment({ essay: ESSAY, parent: '99999999999999999999999', body: 'Hello' })],
  ['reply to an id past 2^53', comment({ essay: ESSAY, parent: '9007199254740993', body: 'Hello' })],
  ['reply to an id in exponent form', comment({ essay: ESSAY, parent: '1e3', body: 'Hello' })],
  ['reply to a non-numeric id', comment({ essay: ESSAY, parent: 'abc', body: 'Hello' })],
  ['reply to a missing comment', comment({ essay: ESSAY, parent: '987654', body: 'Hello' })],
  ['reply to a comment of another essay', (c) => comment({ essay: ESSAY, parent: String(c.elsewhere), body: 'Hello' })(c)],
  ['comment with invalid UTF-8 bytes', (c) => ({ path: '/comments/new', body: invalidUtf8(`essay=${ESSAY}&body=`), cookie: c.reader })],
  ['comment with invalid UTF-8 percent-escapes', (c) => ({ path: '/comments/new', body: `essay=${ESSAY}&body=%C3%28%FF%FE`, cookie: c.reader })],
  // Passage comments: the block and the words are checked against the essay as built (tests/browser/passages.test.ts posts good ones).
  ['passage comment on a block not in the essay', comment({ essay: ESSAY, body: 'Hello', passage: 'p-00000000', quote: 'WeChat' })],
  ['passage comment on a malformed block', comment({ essay: ESSAY, body: 'Hello', passage: '"><script>alert(1)</script>', quote: 'WeChat' })],
  ['passage comment on a block of another essay', (c) => comment({ essay: ESSAY, body: 'Hello', passage: passageBlocks(OTHER_ESSAY)[0]!.id, quote: passageBlocks(OTHER_ESSAY)[0]!.text.slice(0, 20) })(c)],
  ['passage comment quoting words not in its block', (c) => comment({ essay: ESSAY, body: 'Hello', passage: passageBlocks(ESSAY)[0]!.id, quote: 'Words the essay never says.' })(c)],
  ['passage comment with an empty quote', (c) => comment({ essay: ESSAY, body: 'Hello', passage: passageBlocks(ESSAY)[0]!.id, quote: '' })(c)],
  ['passage comment quoting 501 characters', (c) => comment({ essay: ESSAY, body: 'Hello', passage: passageBlocks(ESSAY)[0]!.id, quote: 'w'.repeat(501) })(c)],
  ['passage comment with a quote of 60 KB', (c) => comment({ essay: ESSAY, body: 'Hello', passage: passageBlocks(ESSAY)[0]!.id, quote: 'q'.repeat(60_000) })(c)],
  ['passage comment with its passage given twice', (c) => comment({ essay: ESSAY, body: 'Hello', passage: [passageBlocks(ESSAY)[0]!.id, passageBlocks(ESSAY)[1]!.id], quote: passageBlocks(ESSAY)[0]!.text.slice(0, 20) })(c)],
  ['passage quoted by a reply', (c) => comment({ essay: ESSAY, body: 'Hello', parent: String(c.comment), passage: passageBlocks(ESSAY)[0]!.id, quote: passageBlocks(ESSAY)[0]!.text.slice(0, 20) })(c)],
  ['discussion page of a malformed passage', () => ({ method: 'GET', path: `/discussion/${ESSAY}/?passage=%3Cscript%3E` })],
  ['discussion page of a passage not in the essay', () => ({ method: 'GET', path: `/discussion/${ESSAY}/?passage=p-00000000` })],
  ['admin re-attach of a comment that quotes no passage', (c) => post('/admin/detached', { action: 'reattach', comment: String(c.comment), passage: passageBlocks(ESSAY)[0]!.id }, asAdmin)(c)],
  ['admin re-attach of a negative comment id', post('/admin/detached', { action: 'reattach', comment: '-3', passage: 'p-00000000' }, asAdmin)],
  ['admin leave of a comment that quotes no passage', (c) => post('/admin/detached', { action: 'leave', comment: String(c.comment) }, asAdmin)(c)],
  ['comment sent as JSON', (c) => ({ path: '/comments/new', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ essay: ESSAY, body: 'Hi' }), cookie: c.reader })],
  ['comment with a file where the body belongs', (c) => {
    const boundary = 'x-boundary';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="essay"\r\n\r\n${ESSAY}\r\n--${boundary}\r\nContent-Disposition: form-data; name="body"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile text\r\n--${boundary}--\r\n`;
    return { path: '/comments/new', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body, cookie: c.reader };
  }],
  ['comment with a broken multipart body', (c) => ({ path: '/comments/new', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: '--zzz\r\nnonsense', cookie: c.reader })],
  ['comment with a forged session cookie', () => ({ path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Hi' }), cookie: 'session=forged0123456789abcdef' })],
  ['comment with a 3 KB junk session cookie', () => ({ path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Hi' }), cookie: `session=${'%00<>"'.repeat(600)}` })],
  ['PUT to the comment route', (c) => ({ method: 'PUT', path: '/comments/new', body: formBody({ essay: ESSAY, body: 'Hi' }), cookie: c.reader })],
  ['DELETE to the comment route', (c) => ({ method: 'DELETE', path: '/comments/new', cookie: c.reader })],
  // Likes.
  ['like of a negative id', post('/comments/-1/like', { liked: '1' }, asReader)],
  ['like of a huge id', post('/comments/99999999999999999999/like', { liked: '1' }, asReader)],
  ['like of a non-numeric id', post('/comments/abc/like', { liked: '1' }, asReader)],
  ['like of a missing comment', post('/comments/987654/like', { liked: '1' }, asReader)],
  ['like of one\'s own comment', (c) => post(`/comments/${c.readerComment}/like`, { liked: '1' }, asReader)(c)],
  ['PATCH to a like route', (c) => ({ method: 'PATCH', path: `/comments/${c.comment}/like`, body: formBody({ liked: '1' }), cookie: c.reader })],
  // Edits and deletions.
  ['edit of a missing comment', post('/comments/987654/edit', { body: 'New text' }, asReader)],
  ['edit to an empty body', (c) => post(`/comments/${c.readerComment}/edit`, { body: '   ' }, asReader)(c)],
  ['edit over 10,000 characters', (c) => post(`/comments/${c.readerComment}/edit`, { body: 'z'.repeat(10_001) }, asReader)(c)],
  ['edit of a non-numeric id', post('/comments/%3Cscript%3E/edit', { body: 'x' }, asReader)],
  ['delete of a missing comment', post('/comments/987654/delete', {}, asReader)],
  ['delete of a negative id', post('/comments/-5/delete', {}, asReader)],
  // Flags.
  ['flag with an unknown reason', (c) => post(`/moderation/flag/${c.comment}`, { reason: 'because', note: '' }, asReader)(c)],
  ['flag of a missing comment', post('/moderation/flag/987654', { reason: 'spam' }, asReader)],
  ['flag with a note of 100 KB', (c) => post(`/moderation/flag/${c.comment}`, { reason: 'spam', note: 'n'.repeat(100_000) }, asReader)(c)],
  // The island and the discussion pages.
  ['island with a tampered props parameter', (c) => ({ method: 'GET', path: c.island.replace(/([?&]p=)([^&]{4})/, '$1AAAA') })],
  ['island with its parameters cut off', (c) => ({ method: 'GET', path: c.island.split('?')[0]! })],
  ['island of an unknown component', (c) => ({ method: 'GET', path: c.island.replace(/_server-islands\/[^?]+/, '_server-islands/NoSuchIsland') })],
  ['island posted a forged body', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'application/json' }, body: '{"encryptedProps":"AAAA","encryptedSlots":"AAAA","encryptedComponentExport":"AAAA"}' })],
  ['island posted the JSON null', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'application/json' }, body: 'null' })],
  ['island posted a JSON array', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'application/json' }, body: '[1,2]' })],
  ['island posted a JSON number', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'text/plain' }, body: '42' })],
  ['island posted fields of the wrong type', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'application/json' }, body: '{"encryptedProps":1,"encryptedSlots":null,"encryptedComponentExport":{}}' })],
  ['island posted 200 KB', (c) => ({ path: c.island.split('?')[0]!, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encryptedProps: 'A'.repeat(200_000), encryptedSlots: '', encryptedComponentExport: '' }) })],
  ['edit sent as text/plain', (c) => ({ path: `/comments/${c.readerComment}/edit`, headers: { 'content-type': 'text/plain' }, body: 'body=changed', cookie: c.reader })],
  ['edit sent with no content type', (c) => ({ path: `/comments/${c.readerComment}/edit`, headers: { 'content-type': '' }, body: 'body=changed', cookie: c.reader })],
  ['flag sent as JSON', (c) => ({ path: `/moderation/flag/${c.comment}`, headers: { 'content-type': 'application/json' }, body: '{"reason":"spam"}', cookie: c.reader })],
  ['admin action sent as JSON', (c) => ({ path: '/admin', headers: { 'content-type': 'application/json' }, body: `{"action":"hide","ids":"${c.comment}"}`, cookie: c.admin })],
  ['discussion page of an unknown essay', () => ({ method: 'GET', path: '/discussion/no-such-essay/' })],
  ['comment page of a missing comment', () => ({ method: 'GET', path: '/comments/987654' })],
  // Accounts and admin forms.
  ['sign-in sent as JSON', () => ({ path: '/signin', headers: { 'content-type': 'application/json' }, body: '{"username":"a","password":"b"}' })],
  ['sign-up with an oversized body', () => ({ path: '/signup', body: formBody({ username: 'big', password: 'p'.repeat(100_000) }) })],
  ['sign-up with a 300-character username', () => ({ path: '/signup', body: formBody({ username: 'u'.repeat(300), password: 'long enough password', confirm: 'long enough password' }) })],
  ['admin action with an unknown verb', post('/admin', { action: 'obliterate', ids: '1' }, asAdmin)],
  ['admin action on a negative comment id', post('/admin', { action: 'hide', ids: '-1', reason: 'spam' }, asAdmin)],
  ['admin ban of an unknown user', post('/admin/users/no-such-user', { action: 'ban', user: 'no-such-user' }, asAdmin)],
  ['admin blocklist entry that is empty', post('/admin/blocklist', { action: 'add', phrase: '   ' }, asAdmin)],
];

describe.skipIf(!browserPath())('malformed requests', () => {
  let server: RunningServer;
  const context = {} as Context;

  beforeAll(async () => {
    server = await startServer();
    const reader = await makeUser(server.db, { displayName: 'Reader' });
    const author = await makeUser(server.db, { displayName: 'Author' });
    const admin = await makeUser(server.db, { displayName: 'Admin', role: 'admin' });
    for (const u of [reader, author]) server.db.update(users).set({ trustedAt: Date.now() }).where(eq(users.id, u.id)).run();
    context.reader = cookieHeader(await sessionCookie(server.db, reader.id));
    context.admin = cookieHeader(await sessionCookie(server.db, admin.id));
    context.comment = await makeComment(server.db, { essay: ESSAY, authorId: author.id, body: 'The comment under test.' });
    context.readerComment = await makeComment(server.db, { essay: ESSAY, authorId: reader.id, body: 'The reader’s own.', createdAt: Date.now() });
    context.elsewhere = await makeComment(server.db, { essay: OTHER_ESSAY, authorId: author.id, body: 'Under another essay.' });
    context.island = islandUrl(await (await fetch(`${server.url}/essays/${ESSAY}/`)).text());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('%s: a clear 4xx, nothing written', async (_, build) => {
    const before = fingerprint(server.db);
    const counts = tableCounts(server.db);
    const response = await send(server.url, build(context));
    expect(response.status, `answered ${response.status} → ${response.location}: ${response.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
    expect(tableCounts(server.db)).toEqual(counts);
    expect(fingerprint(server.db)).toBe(before);
  });
});

// The authorisation matrix: every mutating route × signed out, a reader, the author of the target,
// another reader, a banned reader and an admin, against the real server. Each cell runs in a
// world of its own (fresh accounts, sessions and target), gets the expected status (a refused form
// is answered in place, so it is the status of the page the reader is shown), and where it is
// denied nothing in the database changes; where it is allowed, the change happens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { latestEventSeq } from '../../db/discussion/events.ts';
import { submitAppeal } from '../../db/moderation/appeals.ts';
import { commentAnchors, comments, likes, sessions, users } from '../../db/schema.ts';
import { hashPassword } from '../../src/features/accounts/password.ts';
import { sessionHandle } from '../../src/features/accounts/sessions.ts';
import { browserPath } from '../support/browser.ts';
import { fingerprint } from '../support/db-fingerprint.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { cookieHeader, formBody, send, type RawRequest, type RawResponse } from '../support/http.ts';
import { sessionCookie } from '../support/session.ts';
import { anchorRow, passageBlocks } from '../support/passages.ts';
import { essayPassages, passageIndex } from '../../src/features/passages/index-file.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { SseReader } from '../support/sse.ts';

const ESSAY = 'wechat-app-for-everything';
const CLOSABLE_ESSAY = 'taddicken-and-the-privacy-paradox';
const PASSWORD = 'correct horse battery staple 7';
const ACTORS = ['signedOut', 'reader', 'author', 'another', 'banned', 'admin'] as const;
type Actor = (typeof ACTORS)[number];

interface Person {
  id: string;
  username: string;
  cookie: string;
  sessionId: string;
}
interface World {
  people: Record<Exclude<Actor, 'signedOut'>, Person>;
  /** A published comment by the author, under ESSAY. */
  comment: number;
  /** A second session of the author, on another device. */
  authorOtherSession: string;
  /** A comment of the author's that a moderator hid, and the banned reader's appeal of the ban. */
  hidden: number;
  appeal: number;
  /** A comment of the author's held for review; its text is `heldText(n)`, the hidden one's `hiddenText(n)`. */
  held: number;
  n: number;
  /** The change log's last event before the world was made: a live stream from here replays all of it. */
  eventsSince: number;
  /** A block of ESSAY: the held comment quotes it (the hidden one quotes a passage no longer there). */
  passage: string;
  /** A published comment of the author's whose passage is no longer in the essay (detached). */
  detached: number;
}

/** The new name of a reader (no actor) whose only comment is held: `quietName(n)`. */
const quietName = (n: number) => `Quiet reader renamed ${n}`;

const heldText = (n: number) => `Held secret number ${n} awaiting review`;
const hiddenText = (n: number) => `Hidden comment ${n}`;

let passwordHash = '';
let worlds = 0;

async function makeWorld(db: Db): Promise<World> {
  const n = ++worlds;
  const eventsSince = latestEventSeq(db);
  const person = async (role: 'reader' | 'admin', name: string, banned = false): Promise<Person> => {
    const user = await makeUser(db, { username: `${name}_${n}`, displayName: `${name} ${n}`, role });
    db.update(users).set({ passwordHash, trustedAt: Date.now(), bannedAt: banned ? Date.now() : null }).where(eq(users.id, user.id)).run();
    const cookie = cookieHeader(await sessionCookie(db, user.id));
    return { ...user, cookie, sessionId: cookie.slice('session='.length) };
  };
  const people = {
    reader: await person('reader', 'reader'),
    author: await person('reader', 'author'),
    another: await person('reader', 'another'),
    banned: await person('reader', 'banned', true),
    admin: await person('admin', 'admin'),
  };
  const comment = await makeComment(db, { essay: ESSAY, authorId: people.author.id, body: `Target comment ${n}`, createdAt: Date.now() });
  const authorOtherSession = (await sessionCookie(db, people.author.id)).value;
  const hidden = await makeComment(db, { essay: ESSAY, authorId: people.author.id, body: `Hidden comment ${n}`, createdAt: Date.now() });
  db.update(comments).set({ status: 'hidden', moderationReason: 'abuse' }).where(eq(comments.id, hidden)).run();
  const appeal = await submitAppeal(db, { userId: people.banned.id, commentId: null, message: 'The ban was a mistake, please look again.' });
  const held = await makeComment(db, { essay: ESSAY, authorId: people.author.id, body: heldText(n), createdAt: Date.now() });
  db.update(comments).set({ status: 'pending', moderationNote: 'held: first comment of a new account' }).where(eq(comments.id, held)).run();
  // Passage comments: the held one on a passage of the essay as built, the hidden one detached, and a published detached one.
  const block = passageBlocks(ESSAY)[n % 5]!;
  const version = essayPassages(passageIndex()!, ESSAY)!.version;
  const detached = await makeComment(db, { essay: ESSAY, authorId: people.author.id, body: `Detached comment ${n}`, createdAt: Date.now() });
  for (const [id, on] of [[held, block], [hidden, null], [detached, null]] as const) db.insert(commentAnchors).values(anchorRow(id, ESSAY, on, version)).run();
  // For the live stream: a reader whose only comment is held takes a new name, and a comment the
  // other reader liked is hidden and restored (it comes back liked for them alone).
  const quiet = await makeUser(db, { username: `quiet_${n}` });
  const quietHeld = await makeComment(db, { essay: ESSAY, authorId: quiet.id, body: `Quiet comment ${n}`, createdAt: Date.now() });
  db.update(comments).set({ status: 'pending' }).where(eq(comments.id, quietHeld)).run();
  db.update(users).set({ displayName: quietName(n) }).where(eq(users.id, quiet.id)).run();
  const restored = await makeComment(db, { essay: ESSAY, authorId: people.author.id, body: `Restored comment ${n}`, createdAt: Date.now() });
  db.insert(likes).values({ commentId: restored, userId: people.another.id, createdAt: Date.now() }).run();
  for (const set of [{ likeCount: 1 }, { status: 'hidden' as const, moderationReason: 'abuse' as const }, { status: 'published' as const, moderationReason: null }]) {
    db.update(comments).set(set).where(eq(comments.id, restored)).run();
  }
  return { people, comment, authorOtherSession, hidden, appeal, held, n, eventsSince, passage: block.id, detached };
}

type Expectation = [status: number, allowed: boolean];
const OK = (status = 303): Expectation => [status, true];
const NO = (status: number): Expectation => [status, false];

interface Route {
  name: string;
  request: (w: World) => RawRequest;
  expect: Record<Actor, Expectation>;
  /** Whether the allowed change happened, where a digest of the data cannot tell (sessions). */
  effect?: (w: World, db: Db) => boolean;
}

const form = (path: string, fields: Record<string, string | string[]>) => (): RawRequest => ({ path, body: formBody(fields) });
const onComment = (build: (id: number) => RawRequest) => (w: World) => build(w.comment);
const ADMIN_ONLY: Record<Actor, Expectation> = { signedOut: NO(303), reader: NO(403), author: NO(403), another: NO(403), banned: NO(403), admin: OK(303) };
const SIGNED_IN: Record<Actor, Expectation> = { signedOut: NO(303), reader: OK(), author: OK(), another: OK(), banned: OK(), admin: OK() };

const ROUTES: Route[] = [
  {
    name: 'post a comment',
    request: form('/comments/new', { essay: ESSAY, body: 'A comment from the matrix.' }),
    expect: { signedOut: NO(401), reader: OK(), author: OK(), another: OK(), banned: NO(403), admin: OK() },
  },
  {
    name: 'post a comment on a passage',
    request: (w) => {
      const block = passageBlocks(ESSAY).find((b) => b.id === w.passage)!;
      return { path: '/comments/new', body: formBody({ essay: ESSAY, body: 'A passage comment from the matrix.', passage: block.id, quote: block.text.slice(0, 30) }) };
    },
    expect: { signedOut: NO(401), reader: OK(), author: OK(), another: OK(), banned: NO(403), admin: OK() },
  },
  {
    name: 'reply to the comment',
    request: onComment((id) => ({ path: '/comments/new', body: formBody({ essay: ESSAY, parent: String(id), body: 'A reply from the matrix.' }) })),
    expect: { signedOut: NO(401), reader: OK(), author: OK(), another: OK(), banned: NO(403), admin: OK() },
  },
  {
    name: 'edit the comment',
    request: onComment((id) => ({ path: `/comments/${id}/edit`, body: formBody({ body: 'Edited by the matrix.' }) })),
    expect: { signedOut: NO(401), reader: NO(403), author: OK(), another: NO(403), banned: NO(403), admin: NO(403) },
  },
  {
    name: 'delete the comment',
    request: onComment((id) => ({ path: `/comments/${id}/delete`, body: '' })),
    expect: { signedOut: NO(401), reader: NO(403), author: OK(), another: NO(403), banned: NO(403), admin: NO(403) },
  },
  {
    name: 'like the comment',
    request: onComment((id) => ({ path: `/comments/${id}/like`, body: formBody({ liked: '1' }) })),
    expect: { signedOut: NO(401), reader: OK(), author: NO(403), another: OK(), banned: NO(403), admin: OK() },
  },
  {
    name: 'flag the comment',
    request: onComment((id) => ({ path: `/moderation/flag/${id}`, body: formBody({ reason: 'off-topic', note: 'From the matrix.' }) })),
    expect: { signedOut: NO(303), reader: OK(), author: NO(403), another: OK(), banned: NO(403), admin: OK() },
  },
  // The inline controls' way (the comment's admin page, coming back to the essay) and the queue's.
  { name: 'admin: hide the comment', request: onComment((id) => ({ path: `/admin/comments/${id}`, body: formBody({ action: 'hide', ids: String(id), reason: 'abuse', return: `/essays/${ESSAY}/#comment-${id}` }) })), expect: ADMIN_ONLY },
  { name: 'admin: mark the comment as spam', request: onComment((id) => ({ path: '/admin', body: formBody({ action: 'spam', ids: String(id) }) })), expect: ADMIN_ONLY },
  { name: 'admin: pin the comment', request: onComment((id) => ({ path: '/admin/essays', body: formBody({ action: 'pin', comment: String(id) }) })), expect: ADMIN_ONLY },
  // Only the admin's cell succeeds, so the one correction is still free for it whatever the order.
  {
    name: 'admin: link the comment to a correction',
    request: onComment((id) => ({ path: `/admin/comments/${id}`, body: formBody({ action: 'link-correction', correction: '2026-11-29-registered-accounts', return: `/admin/comments/${id}` }) })),
    expect: ADMIN_ONLY,
  },
  { name: 'admin: re-attach a detached passage comment', request: (w) => ({ path: '/admin/detached', body: formBody({ action: 'reattach', comment: String(w.detached), passage: w.passage }) }), expect: ADMIN_ONLY },
  { name: 'admin: leave a detached passage comment as it is', request: (w) => ({ path: '/admin/detached', body: formBody({ action: 'leave', comment: String(w.detached) }) }), expect: ADMIN_ONLY },
  { name: 'admin: ban another reader', request: (w) => ({ path: `/admin/users/${w.people.another.id}`, body: formBody({ action: 'ban', user: w.people.another.id }) }), expect: ADMIN_ONLY },
  { name: 'admin: unban the banned reader', request: (w) => ({ path: `/admin/users/${w.people.banned.id}`, body: formBody({ action: 'unban', user: w.people.banned.id }) }), expect: ADMIN_ONLY },
  { name: 'admin: close a discussion', request: form('/admin/essays', { action: 'close', essay: CLOSABLE_ESSAY }), expect: ADMIN_ONLY },
  { name: 'admin: add to the blocklist', request: () => ({ path: '/admin/blocklist', body: formBody({ action: 'add', phrase: `matrix phrase ${worlds}` }) }), expect: ADMIN_ONLY },
  { name: 'admin: answer an appeal', request: (w) => ({ path: '/admin/appeals', body: formBody({ action: 'answer', id: String(w.appeal), answer: 'We looked again.' }) }), expect: ADMIN_ONLY },
  {
    name: 'appeal the hiding of the comment',
    request: (w) => ({ path: '/moderation/appeal', body: formBody({ about: String(w.hidden), message: 'Please look at this one again.' }) }),
    expect: { signedOut: NO(303), reader: NO(404), author: OK(), another: NO(404), banned: NO(404), admin: NO(404) },
  },
  {
    name: 'vote in the reader poll',
    request: form('/polls/wechat-paradox/', { concern: 'little', behaviour: 'keep' }),
    // Signed out and without the voter cookie, a ballot is handed one and asked for again (307);
    // it counts only when it comes back with it (tests/browser/poll.test.ts).
    expect: { signedOut: NO(307), reader: OK(), author: OK(), another: OK(), banned: NO(403), admin: OK() },
  },
  // Each world's own name: two accounts may not take names that look alike.
  // A suspended reader's name is shown to everyone beside their comments, and goes out live: not theirs to change while suspended.
  { name: 'change the display name', request: () => ({ path: '/account', body: formBody({ displayName: `Matrix Name ${worlds}` }) }), expect: { ...SIGNED_IN, banned: NO(403) } },
  { name: 'admin: change the holding rules', request: form('/admin/blocklist', { action: 'rules', linkLimit: String(3 + (worlds % 5)), firstComment: 'on', links: 'on', blocklist: 'on' }), expect: ADMIN_ONLY },
  {
    name: "end the author's other session",
    request: (w) => ({ path: '/account/sessions', body: formBody({ session: sessionHandle(w.authorOtherSession) }) }),
    expect: { signedOut: NO(303), reader: NO(303), author: OK(), another: NO(303), banned: NO(303), admin: NO(303) },
    effect: (w, db) => !db.select().from(sessions).where(eq(sessions.id, w.authorOtherSession)).get(),
  },
  {
    name: 'change the password',
    request: () => ({ path: '/account/password', body: formBody({ current: PASSWORD, password: 'a brand new passphrase 99', confirm: 'a brand new passphrase 99' }) }),
    expect: SIGNED_IN,
  },
  { name: 'delete the account', request: () => ({ path: '/account/delete', body: formBody({ current: PASSWORD }) }), expect: SIGNED_IN },
];

describe.skipIf(!browserPath())('authorisation matrix', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
    passwordHash = await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cells = ROUTES.flatMap((route) => ACTORS.map((actor) => [route.name, actor, route] as const));
  it.each(cells)('%s as %s', async (_, actor, route) => {
    const world = await makeWorld(server.db);
    const request = route.request(world);
    if (actor !== 'signedOut') request.cookie = world.people[actor].cookie;
    const before = fingerprint(server.db);
    const response = await send(server.url, request);
    const [status, allowed] = route.expect[actor];
    expect(response.status, `${response.status} → ${response.location}: ${response.text.slice(0, 300)}`).toBe(status);
    const changed = route.effect ? route.effect(world, server.db) : fingerprint(server.db) !== before;
    expect(changed, allowed ? 'the allowed change did not happen' : 'a denied request changed the database').toBe(allowed);
  });
});

// Every response that can carry a comment's text, for a held and a hidden comment: the text
// reaches exactly the readers the thread would show it to (held: its author and moderators;
// hidden: nobody outside the admin pages), refusals included.
const ONLY = (...who: Actor[]): Record<Actor, boolean> => Object.fromEntries(ACTORS.map((a) => [a, who.includes(a)])) as Record<Actor, boolean>;
const NOBODY = ONLY();

interface Read {
  name: string;
  request: (w: World) => RawRequest;
  /** How the response is read, when not whole (a stream that never ends). */
  read?: (base: string, request: RawRequest) => Promise<RawResponse>;
  text: (w: World) => string;
  mayRead: Record<Actor, boolean>;
}

const json = (path: string): RawRequest => ({ path, headers: { 'content-type': 'application/json' }, body: '{"body":"x"}' });
/** A live stream, read until the server has sent all it had to catch up on (its `: live` line). */
async function readStream(base: string, request: RawRequest): Promise<RawResponse> {
  const response = await fetch(base + request.path, { headers: request.cookie ? { cookie: request.cookie } : {} });
  if (response.status !== 200) return { status: response.status, location: '', text: await response.text() };
  const stream = new SseReader(response.body!);
  await stream.live();
  await stream.cancel();
  return { status: 200, location: '', text: stream.text };
}
const READS: Read[] = [
  { name: 'GET the edit form of a held comment', request: (w) => ({ method: 'GET', path: `/comments/${w.held}/edit` }), text: (w) => heldText(w.n), mayRead: ONLY('author') },
  { name: 'POST a JSON edit of a held comment', request: (w) => json(`/comments/${w.held}/edit`), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'POST a text/plain edit of a held comment', request: (w) => ({ path: `/comments/${w.held}/edit`, headers: { 'content-type': 'text/plain' }, body: 'body=x' }), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'POST an empty edit of a held comment', request: (w) => ({ path: `/comments/${w.held}/edit`, body: formBody({ body: '' }) }), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'GET the edit form of a hidden comment', request: (w) => ({ method: 'GET', path: `/comments/${w.hidden}/edit` }), text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'POST a JSON edit of a hidden comment', request: (w) => json(`/comments/${w.hidden}/edit`), text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'GET the delete page of a held comment', request: (w) => ({ method: 'GET', path: `/comments/${w.held}/delete` }), text: (w) => heldText(w.n), mayRead: ONLY('author') },
  { name: 'GET the flag page of a held comment', request: (w) => ({ method: 'GET', path: `/moderation/flag/${w.held}` }), text: (w) => heldText(w.n), mayRead: ONLY('author', 'admin') },
  { name: 'GET the flag page of a hidden comment', request: (w) => ({ method: 'GET', path: `/moderation/flag/${w.hidden}` }), text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'GET the reply form under a held comment', request: (w) => ({ method: 'GET', path: `/comments/new?essay=${ESSAY}&parent=${w.held}` }), text: (w) => heldText(w.n), mayRead: ONLY('author') },
  { name: 'GET the reply form under a hidden comment', request: (w) => ({ method: 'GET', path: `/comments/new?essay=${ESSAY}&parent=${w.hidden}` }), text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'POST a JSON reply to a held comment', request: (w) => ({ ...json('/comments/new'), body: JSON.stringify({ essay: ESSAY, parent: w.held, body: 'x' }) }), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'GET the discussion page (held)', request: () => ({ method: 'GET', path: `/discussion/${ESSAY}/?sort=newest` }), text: (w) => heldText(w.n), mayRead: ONLY('author', 'admin') },
  { name: 'GET the discussion page (hidden)', request: () => ({ method: 'GET', path: `/discussion/${ESSAY}/?sort=newest` }), text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'GET the page of the passage a held comment quotes', request: (w) => ({ method: 'GET', path: `/discussion/${ESSAY}/?passage=${w.passage}` }), text: (w) => heldText(w.n), mayRead: ONLY('author', 'admin') },
  { name: 'GET the detached passage comments (hidden)', request: () => ({ method: 'GET', path: '/admin/detached' }), text: (w) => hiddenText(w.n), mayRead: ONLY('admin') },
  { name: 'GET the detached passage comments (published)', request: () => ({ method: 'GET', path: '/admin/detached' }), text: (w) => `Detached comment ${w.n}`, mayRead: ONLY('admin') },
  { name: 'GET the author\'s profile', request: (w) => ({ method: 'GET', path: `/u/${w.people.author.username}` }), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'GET the comment feed', request: () => ({ method: 'GET', path: `/discussion/${ESSAY}/feed.xml` }), text: (w) => heldText(w.n), mayRead: NOBODY },
  { name: 'GET the live stream (held)', request: (w) => ({ method: 'GET', path: `/discussion/${ESSAY}/events?since=${w.eventsSince}` }), read: readStream, text: (w) => heldText(w.n), mayRead: ONLY('author', 'admin') },
  { name: 'GET the live stream (hidden)', request: (w) => ({ method: 'GET', path: `/discussion/${ESSAY}/events?since=${w.eventsSince}` }), read: readStream, text: (w) => hiddenText(w.n), mayRead: NOBODY },
  { name: 'GET the live stream (the new name of a reader whose only comment is held)', request: (w) => ({ method: 'GET', path: `/discussion/${ESSAY}/events?since=${w.eventsSince}` }), read: readStream, text: (w) => quietName(w.n), mayRead: ONLY('admin') },
  { name: 'GET the live stream (a restored comment, liked as the reader left it)', request: (w) => ({ method: 'GET', path: `/discussion/${ESSAY}/events?since=${w.eventsSince}` }), read: readStream, text: () => 'aria-pressed=\\"true\\"', mayRead: ONLY('another') },
  { name: 'GET the whole-site comment feed', request: () => ({ method: 'GET', path: '/discussion/feed.xml' }), text: (w) => hiddenText(w.n), mayRead: NOBODY },
];

describe.skipIf(!browserPath())('what each reader may read', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
    passwordHash ||= await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cells = READS.flatMap((read) => ACTORS.map((actor) => [read.name, actor, read] as const));
  it.each(cells)('%s as %s', async (_, actor, read) => {
    const world = await makeWorld(server.db);
    const request = read.request(world);
    if (actor !== 'signedOut') request.cookie = world.people[actor].cookie;
    const before = fingerprint(server.db);
    const response = await (read.read ?? send)(server.url, request);
    expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
    expect(response.text.includes(read.text(world)), `${response.status}: ${response.text.slice(0, 300)}`).toBe(read.mayRead[actor]);
    if (request.method !== 'GET') expect(fingerprint(server.db)).toBe(before);
  });
});

// Every discussion rule, through the functions the routes call, on a real migrated SQLite.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeDatabase, createDatabase, openDatabase, type Db } from '../../db/client.ts';
import {
  countComments,
  countUnreadReplies,
  findComment,
  latestComments,
  listRepliesTo,
  listThreadPage,
  locateComment,
  markRepliesSeen,
  rerenderStaleComments,
} from '../../db/discussion/comments.ts';
import { retractComments } from '../../db/discussion/comment-retraction.ts';
import { setLike } from '../../db/discussion/likes.ts';
import { comments, discussions, users } from '../../db/schema.ts';
import { buildThreads } from '../../src/features/discussion/thread.ts';
import { createComment, likeComment, removeComment, updateComment, type EssayInfo, type Viewer } from '../../src/features/discussion/service.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };
const OTHER: EssayInfo = { slug: 'other-essay', title: 'Other', discussion: 'open' };
const CLOSED: EssayInfo = { slug: 'closed-essay', title: 'Closed', discussion: 'closed' };
const essays = new Map([ESSAY, OTHER, CLOSED].map((e) => [e.slug, e]));
const essayOf = async (slug: string) => essays.get(slug) ?? null;

let db: Db;
let ada: Viewer;
let bob: Viewer;
let now: number;

async function viewer(name: string): Promise<Viewer> {
  const user = await makeUser(db, { username: name, displayName: name.toUpperCase() });
  return { id: user.id, username: user.username, displayName: name.toUpperCase(), bannedAt: null };
}

async function post(who: Viewer | null, body: string, options: { essay?: EssayInfo | null; parentId?: number | null; at?: number } = {}) {
  return createComment(db, {
    viewer: who,
    essay: options.essay === undefined ? ESSAY : options.essay,
    parentId: options.parentId ?? null,
    body,
    now: options.at ?? (now += 61_000),
  });
}

async function postOk(who: Viewer, body: string, options: { essay?: EssayInfo; parentId?: number | null; at?: number } = {}) {
  const result = await post(who, body, options);
  if (!result.ok) throw new Error(result.message);
  return result.id;
}

const likeRows = (id: number) => db.$client.prepare('select count(*) from likes where comment_id = ?').pluck().get(id) as number;
const likeCount = async (id: number) => db.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, id)).get()!.n;

beforeEach(async () => {
  db = createDatabase();
  now = 1_800_000_000_000;
  ada = await viewer('ada');
  bob = await viewer('bob');
});
afterEach(() => closeDatabase(db));

describe('posting a comment', () => {
  it('stores the source, the sanitised HTML and the renderer version, published', async () => {
    const id = await postOk(ada, 'Hello *world* <script>x</script>');
    const row = db.select().from(comments).where(eq(comments.id, id)).get()!;
    expect(row).toMatchObject({ bodySource: 'Hello *world* <script>x</script>', status: 'published', rendererVersion: 1, rootId: id, depth: 0 });
    expect(row.bodyHtml).toBe('<p>Hello <em>world</em> &#x3C;script>x&#x3C;/script></p>');
  });

  it('refuses signed-out and banned readers, unknown essays and closed discussions, writing nothing', async () => {
    expect(await post(null, 'hi')).toMatchObject({ ok: false, status: 401 });
    db.update(users).set({ bannedAt: now }).where(eq(users.id, bob.id)).run();
    expect(await post({ ...bob, bannedAt: now }, 'hi')).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('suspended') });
    expect(await post(ada, 'hi', { essay: null })).toMatchObject({ ok: false, status: 404 });
    expect(await post(ada, 'hi', { essay: CLOSED })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('closed') });
    db.insert(discussions).values({ essay: ESSAY.slug, closed: true, updatedAt: now }).run();
    expect(await post(ada, 'hi')).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('closed') });
    db.insert(discussions).values({ essay: CLOSED.slug, closed: false, updatedAt: now }).run();
    expect(await post(ada, 'reopened by a moderator', { essay: CLOSED })).toMatchObject({ ok: true });
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(1);
  });

  it('refuses empty, whitespace-only and over-long bodies with a reason', async () => {
    expect(await post(ada, '')).toMatchObject({ ok: false, status: 400 });
    expect(await post(ada, '   \n  ')).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('empty') });
    expect(await post(ada, 'x'.repeat(10_001))).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('10,000') });
    expect(await post(ada, 'x'.repeat(10_000))).toMatchObject({ ok: true });
  });

  it('allows 5 comments a minute, then answers 429 with the wait', async () => {
    const start = now;
    for (let i = 0; i < 5; i++) await postOk(ada, `comment ${i}`, { at: start + i * 1000 });
    const refused = await post(ada, 'one too many', { at: start + 5000 });
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 55, message: expect.stringContaining('55 seconds') });
    expect(await post(bob, 'someone else may post', { at: start + 5000 })).toMatchObject({ ok: true });
    expect(await post(ada, 'a minute later', { at: start + 60_001 })).toMatchObject({ ok: true });
  });

  it('allows 30 comments an hour', async () => {
    const start = now;
    for (let i = 0; i < 30; i++) await postOk(ada, `comment ${i}`, { at: start + i * 61_000 });
    const refused = await post(ada, 'thirty-first', { at: start + 30 * 61_000 });
    expect(refused).toMatchObject({ ok: false, status: 429 });
    if (!refused.ok) expect(refused.retryAfterSeconds).toBe(3600 - 30 * 61);
  });

  it('makes one comment of the same text sent twice within 30 seconds', async () => {
    const first = await postOk(ada, 'Same words', { at: now });
    const again = await post(ada, 'Same words', { at: now + 29_000 });
    expect(again).toEqual({ ok: true, id: first, duplicate: true });
    expect(await post(ada, 'Same words', { at: now + 31_000 })).toMatchObject({ ok: true, duplicate: false });
    expect(await post(bob, 'Same words', { at: now + 1000 })).toMatchObject({ ok: true, duplicate: false });
    expect(await countComments(db, ESSAY.slug)).toBe(3);
  });

  it('replies under a parent of the same essay; refuses a gone, hidden, pending or foreign parent', async () => {
    const parent = await postOk(ada, 'parent');
    const reply = await postOk(bob, 'reply', { parentId: parent });
    expect(await findComment(db, reply)).toMatchObject({ parentId: parent, rootId: parent, depth: 1 });
    expect(await post(bob, 'to nothing', { parentId: 999_999 })).toMatchObject({ ok: false, status: 404 });
    expect(await post(bob, 'wrong essay', { parentId: parent, essay: OTHER })).toMatchObject({ ok: false, status: 400 });
    const hidden = await postOk(ada, 'hidden one');
    db.update(comments).set({ status: 'hidden', moderationReason: 'abuse' }).where(eq(comments.id, hidden)).run();
    expect(await post(bob, 'to hidden', { parentId: hidden })).toMatchObject({ ok: false, status: 404 });
    const pending = await postOk(ada, 'pending one');
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, pending)).run();
    expect(await post(bob, 'to pending', { parentId: pending })).toMatchObject({ ok: false, status: 409 });
  });

  it('keeps replies of any depth, nested to 5 and flat below', async () => {
    let parent: number | null = null;
    const ids: number[] = [];
    for (let depth = 0; depth < 8; depth++) ids.push((parent = await postOk(depth % 2 ? bob : ada, `level ${depth}`, { parentId: parent })));
    const page = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, viewerId: null });
    expect(page.rows).toHaveLength(8);
    expect((await findComment(db, ids[7]!))!.depth).toBe(7);
    const [thread] = buildThreads(page.rows, { sort: 'oldest', viewerId: null });
    let node = thread!;
    for (let d = 1; d <= 5; d++) node = node.replies[0]!;
    expect(node.replies.map((n) => [n.displayDepth, n.replyingTo?.username])).toEqual([
      [5, 'bob'],
      [5, 'ada'],
    ]);
  });
});

describe('editing and deleting', () => {
  it('lets the author edit within 15 minutes, re-rendering and marking it edited', async () => {
    const id = await postOk(ada, 'first words', { at: now });
    expect(await updateComment(db, { viewer: bob, id, body: 'hijack', now: now + 1000 })).toMatchObject({ ok: false, status: 403 });
    expect(await updateComment(db, { viewer: ada, id, body: '  ', now: now + 1000 })).toMatchObject({ ok: false, status: 400 });
    expect(await updateComment(db, { viewer: ada, id, body: 'better **words**', now: now + 60_000 })).toMatchObject({ ok: true });
    const row = db.select().from(comments).where(eq(comments.id, id)).get()!;
    expect(row).toMatchObject({ bodySource: 'better **words**', bodyHtml: '<p>better <strong>words</strong></p>', editedAt: now + 60_000 });
    expect(await updateComment(db, { viewer: ada, id, body: 'too late', now: now + 15 * 60_000 + 1 })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('15 minutes') });
    expect(await updateComment(db, { viewer: ada, id: 424242, body: 'x', now })).toMatchObject({ ok: false, status: 404 });
  });

  it('turns a deleted comment with replies into a placeholder, and removes one without', async () => {
    const parent = await postOk(ada, 'parent');
    const reply = await postOk(bob, 'reply', { parentId: parent });
    await setLike(db, { commentId: parent, userId: bob.id, liked: true });
    expect(await removeComment(db, { viewer: bob, id: parent })).toMatchObject({ ok: false, status: 403 });
    expect(await removeComment(db, { viewer: ada, id: parent })).toMatchObject({ ok: true, rootRemains: true });
    expect(db.select().from(comments).where(eq(comments.id, parent)).get()).toMatchObject({ status: 'deleted', bodySource: '', bodyHtml: '', authorId: null, likeCount: 0 });
    expect(likeRows(parent)).toBe(0);
    const page = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, viewerId: null });
    expect(buildThreads(page.rows, { sort: 'oldest', viewerId: null }).map((n) => [n.kind, n.replies.length])).toEqual([['deleted', 1]]);
    // The last reply goes, and the placeholder left without replies goes with it.
    expect(await removeComment(db, { viewer: bob, id: reply })).toMatchObject({ ok: true, rootRemains: false });
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(0);
    expect(await removeComment(db, { viewer: bob, id: reply })).toMatchObject({ ok: false, status: 404 });
  });

  it('retracts many comments at once (account deletion): placeholders up the thread go when empty', async () => {
    const a1 = await postOk(ada, 'a1');
    const b1 = await postOk(bob, 'b1', { parentId: a1 });
    const a2 = await postOk(ada, 'a2', { parentId: b1 });
    const keep = await postOk(bob, 'b2', { parentId: a1 });
    db.transaction((tx) => retractComments(tx, [a1, a2]));
    expect(await findComment(db, a2)).toBeUndefined();
    expect((await findComment(db, a1))!.status).toBe('deleted');
    db.transaction((tx) => retractComments(tx, [b1, keep]));
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(0);
  });
});

describe('likes', () => {
  it('one per reader, set and cleared; refused on missing, hidden, pending, own and closed', async () => {
    const id = await postOk(ada, 'likeable');
    expect(await likeComment(db, { viewer: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: true, liked: true, likeCount: 1 });
    expect(await likeComment(db, { viewer: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: true, likeCount: 1 });
    expect(likeRows(id)).toBe(1);
    expect(await likeComment(db, { viewer: bob, id, liked: false, essayOf, now })).toMatchObject({ ok: true, liked: false, likeCount: 0 });
    expect(await likeComment(db, { viewer: ada, id, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('own') });
    expect(await likeComment(db, { viewer: null, id, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 401 });
    expect(await likeComment(db, { viewer: { ...bob, bannedAt: 1 }, id, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 403 });
    expect(await likeComment(db, { viewer: bob, id: 999, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 404 });
    for (const status of ['hidden', 'pending', 'deleted', 'spam'] as const) {
      db.update(comments).set({ status }).where(eq(comments.id, id)).run();
      expect(await likeComment(db, { viewer: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 403 });
    }
    db.update(comments).set({ status: 'published' }).where(eq(comments.id, id)).run();
    db.insert(discussions).values({ essay: ESSAY.slug, closed: true, updatedAt: now }).run();
    expect(await likeComment(db, { viewer: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('closed') });
    expect(likeRows(id)).toBe(0);
    expect(await likeCount(id)).toBe(0);
  });

  it('keeps the count equal to the stored likes under interleaved toggling from two connections', async () => {
    const path = join(tempDir(), 'likes.db');
    const one = createDatabase(path);
    const two = openDatabase(path);
    try {
      const author = await makeUser(one);
      const id = await makeComment(one, { essay: ESSAY.slug, authorId: author.id, body: 'popular' });
      const readers = await Promise.all(Array.from({ length: 20 }, () => makeUser(one)));
      const toggles = [];
      for (let round = 0; round < 10; round++) {
        for (const [i, reader] of readers.entries()) {
          const conn = (i + round) % 2 ? one : two;
          toggles.push(setLike(conn, { commentId: id, userId: reader.id, liked: (round + i) % 3 !== 0 }));
        }
      }
      await Promise.all(toggles);
      const stored = one.$client.prepare('select count(*) from likes where comment_id = ?').pluck().get(id);
      expect(one.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, id)).get()!.n).toBe(stored);
    } finally {
      closeDatabase(two);
      closeDatabase(one);
    }
  });
});

describe('reading a discussion', () => {
  it('pages by 50 top-level threads with all their replies, in one query', async () => {
    const author = await makeUser(db);
    for (let i = 0; i < 120; i++) {
      const root = await makeComment(db, { essay: ESSAY.slug, authorId: author.id, body: `t${i}`, createdAt: i * 10 });
      await makeComment(db, { essay: ESSAY.slug, authorId: ada.id, body: `r${i}`, parentId: root, createdAt: i * 10 + 1 });
    }
    // Count every statement run while one page is read (better-sqlite3 statements share a prototype).
    const Statement = Object.getPrototypeOf(db.$client.prepare('select 1'));
    const methods = ['all', 'get', 'run', 'iterate'] as const;
    const originals = methods.map((m) => Statement[m]);
    let statements = 0;
    methods.forEach((m, i) => (Statement[m] = function (this: unknown, ...args: unknown[]) {
      statements++;
      return originals[i].apply(this, args);
    }));
    let first;
    try {
      first = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, viewerId: bob.id });
    } finally {
      methods.forEach((m, i) => (Statement[m] = originals[i]));
    }
    expect(statements).toBe(1);
    expect(first.rows).toHaveLength(100);
    expect(first.hasMore).toBe(true);
    const third = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 3, viewerId: null });
    expect(third.rows).toHaveLength(40);
    expect(third.hasMore).toBe(false);
    const newest = buildThreads((await listThreadPage(db, { essay: ESSAY.slug, sort: 'newest', page: 1, viewerId: null })).rows, { sort: 'newest', viewerId: null });
    expect(newest[0]!.comment.bodyHtml).toBe('<p>t119</p>');
    expect((await locateComment(db, third.rows[0]!.id, null))!.page).toBe(3);
  });

  it('uses the index for the top-level threads and the replies (no full scan)', () => {
    const plan = db.$client
      .prepare("explain query plan select id from comments r where r.essay = 'e' and r.parent_id is null order by r.created_at, r.id limit 50")
      .all()
      .map((r: any) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH r USING (COVERING )?INDEX comments_essay_thread/);
    expect(plan).not.toMatch(/SCAN/);
    const replies = db.$client.prepare('explain query plan select * from comments c where c.root_id = 1').all().map((r: any) => r.detail).join('\n');
    expect(replies).toMatch(/SEARCH c USING INDEX comments_root/);
  });

  it('marks the comments the viewer likes, and shows pending comments to their author only', async () => {
    const id = await postOk(ada, 'liked by bob');
    await setLike(db, { commentId: id, userId: bob.id, liked: true });
    const pending = await postOk(bob, 'held');
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, pending)).run();
    const asBob = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, viewerId: bob.id });
    expect(asBob.rows.map((r) => [r.id, r.liked])).toEqual(expect.arrayContaining([[id, true], [pending, false]]));
    const asAda = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, viewerId: ada.id });
    expect(asAda.rows.map((r) => r.id)).toEqual([id]);
    expect(await countComments(db, ESSAY.slug)).toBe(1);
  });

  it('lists replies to a reader with an unread count, cleared once seen', async () => {
    const mine = await postOk(ada, 'mine', { at: 1000 });
    await postOk(bob, 'reply 1', { parentId: mine, at: 2000 });
    await postOk(ada, 'my own reply does not count', { parentId: mine, at: 3000 });
    expect(await countUnreadReplies(db, ada.id)).toBe(1);
    expect((await listRepliesTo(db, ada.id)).map((r) => r.bodyHtml)).toEqual(['<p>reply 1</p>']);
    await markRepliesSeen(db, ada.id, 2500);
    expect(await countUnreadReplies(db, ada.id)).toBe(0);
    await postOk(bob, 'reply 2', { parentId: mine, at: 4000 });
    expect(await countUnreadReplies(db, ada.id)).toBe(1);
  });

  it('feeds the latest published comments, per essay or all', async () => {
    await postOk(ada, 'on open', { at: 1000 });
    await postOk(ada, 'on other', { essay: OTHER, at: 2000 });
    const hidden = await postOk(bob, 'hidden', { at: 3000 });
    db.update(comments).set({ status: 'hidden' }).where(eq(comments.id, hidden)).run();
    expect((await latestComments(db)).map((r) => r.bodyHtml)).toEqual(['<p>on other</p>', '<p>on open</p>']);
    expect((await latestComments(db, { essay: OTHER.slug })).map((r) => r.bodyHtml)).toEqual(['<p>on other</p>']);
  });
});

describe('the renderer version', () => {
  it('re-renders comments stored by an older renderer from their source, and only those', async () => {
    const old = await makeComment(db, { essay: ESSAY.slug, authorId: ada.id, body: 'Some *emphasis*' });
    const current = await postOk(ada, 'Already **current**');
    db.update(comments).set({ bodyHtml: '<p>stale</p>' }).where(eq(comments.id, current)).run();
    expect(await rerenderStaleComments(db, 1, (source) => `<p>${source.length}</p>`, 1)).toBe(1);
    expect(db.select().from(comments).where(eq(comments.id, old)).get()).toMatchObject({ bodyHtml: '<p>15</p>', rendererVersion: 1 });
    expect(db.select().from(comments).where(eq(comments.id, current)).get()!.bodyHtml).toBe('<p>stale</p>');
    expect(await rerenderStaleComments(db, 1, () => 'never')).toBe(0);
  });
});

// Every discussion rule, through the functions the routes call, on a real migrated SQLite.
// Reading a discussion (pages, replies, feeds) is in discussion-reading.test.ts.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeDatabase, createDatabase, openDatabase } from '../../db/client.ts';
import { retractComments } from '../../db/discussion/comment-retraction.ts';
import { editComment } from '../../db/discussion/comment-writes.ts';
import { setLike } from '../../db/discussion/likes.ts';
import { countComments, findComment, listThreadPage } from '../../db/discussion/thread-reads.ts';
import { comments, discussions, users } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { likeComment, removeComment, updateComment } from '../../src/features/discussion/service.ts';
import { buildThreads } from '../../src/features/discussion/thread.ts';
import { readerAs, SIGNED_OUT, suspended } from '../support/discussion-readers.ts';
import { ada, bob, CLOSED, db, ESSAY, essayOf, idOf, now, OTHER, post, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

useDiscussionWorld();

const likeRows = (id: number) => db.$client.prepare('select count(*) from likes where comment_id = ?').pluck().get(id) as number;
const likeCount = async (id: number) => db.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, id)).get()!.n;

describe('posting a comment', () => {
  it('stores the source, the sanitised HTML and the renderer version, published', async () => {
    const id = await postOk(ada, 'Hello *world* <script>x</script>');
    const row = db.select().from(comments).where(eq(comments.id, id)).get()!;
    expect(row).toMatchObject({ bodySource: 'Hello *world* <script>x</script>', status: 'published', rendererVersion: 1, rootId: id, depth: 0 });
    expect(row.bodyHtml).toBe('<p>Hello <em>world</em> &#x3C;script>x&#x3C;/script></p>');
  });

  it('refuses signed-out and banned readers, unknown essays and closed discussions, writing nothing', async () => {
    expect(await post(SIGNED_OUT, 'hi')).toMatchObject({ ok: false, code: 'signed-out' });
    db.update(users).set({ bannedAt: now }).where(eq(users.id, idOf(bob))).run();
    expect(await post(suspended(bob, now), 'hi')).toMatchObject({ ok: false, code: 'banned', message: expect.stringContaining('suspended') });
    expect(await post(ada, 'hi', { essay: null })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await post(ada, 'hi', { essay: CLOSED })).toMatchObject({ ok: false, code: 'closed', message: expect.stringContaining('closed') });
    db.insert(discussions).values({ essay: ESSAY.slug, closed: true, updatedAt: now }).run();
    expect(await post(ada, 'hi')).toMatchObject({ ok: false, code: 'closed', message: expect.stringContaining('closed') });
    db.insert(discussions).values({ essay: CLOSED.slug, closed: false, updatedAt: now }).run();
    expect(await post(ada, 'reopened by a moderator', { essay: CLOSED })).toMatchObject({ ok: true });
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(1);
  });

  it('refuses empty, whitespace-only and over-long bodies with a reason', async () => {
    expect(await post(ada, '')).toMatchObject({ ok: false, code: 'invalid' });
    expect(await post(ada, '   \n  ')).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('empty') });
    expect(await post(ada, 'x'.repeat(10_001))).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('10,000') });
    expect(await post(ada, 'x'.repeat(10_000))).toMatchObject({ ok: true });
  });

  it('renders one comment or edit at a time per account: another at once is refused (429, retry in a second), others go on', async () => {
    const first = await postOk(ada, 'first words');
    const [posted, alsoPosted, edited, bobs] = await Promise.all([
      post(ada, 'one', { at: now + 1000 }),
      post(ada, 'two at once', { at: now + 1000 }),
      updateComment(db, { essayOf, reader: ada, id: first, body: 'an edit at once', now: now + 1000 }),
      post(bob, 'someone else at the same time', { at: now + 1000 }),
    ]);
    // Whichever reaches the renderer first is rendered; the other two are refused.
    const adas = [posted, alsoPosted, edited];
    expect(adas.filter((outcome) => outcome.ok)).toHaveLength(1);
    for (const refused of adas.filter((outcome) => !outcome.ok)) expect(refused).toMatchObject({ ok: false, code: 'rate-limited', retryAfterSeconds: 1, message: expect.stringContaining('still being rendered') });
    expect(bobs).toMatchObject({ ok: true });
    if (!edited.ok) expect(await findComment(db, first)).toMatchObject({ bodySource: 'first words' });
    expect(await updateComment(db, { essayOf, reader: ada, id: first, body: 'the edit, a moment later', now: now + 2000 })).toMatchObject({ ok: true });
  });

  it('allows 5 comments a minute, then answers 429 with the wait', async () => {
    const start = now;
    for (let i = 0; i < 5; i++) await postOk(ada, `comment ${i}`, { at: start + i * 1000 });
    const refused = await post(ada, 'one too many', { at: start + 5000 });
    expect(refused).toMatchObject({ ok: false, code: 'rate-limited', retryAfterSeconds: 55, message: expect.stringContaining('55 seconds') });
    expect(await post(bob, 'someone else may post', { at: start + 5000 })).toMatchObject({ ok: true });
    expect(await post(ada, 'a minute later', { at: start + 60_001 })).toMatchObject({ ok: true });
  });

  it('allows 30 likes a minute and 300 an hour an account, then answers 429 with the wait, changing nothing', async () => {
    const id = await postOk(ada, 'often liked', { at: now });
    const carol = readerAs(await makeUser(db, { username: 'carol' }));
    const start = now + 2000;
    const like = (at: number, liked: boolean, reader = bob) => likeComment(db, { reader, id, liked, essayOf, now: at });
    // Liked and unliked thirty times in three seconds: it ends unliked.
    for (let i = 0; i < 30; i++) expect(await like(start + i * 100, i % 2 === 0)).toMatchObject({ ok: true });
    const refused = await like(start + 3100, true);
    expect(refused).toMatchObject({ ok: false, code: 'rate-limited', retryAfterSeconds: 57, message: expect.stringContaining('liking faster') });
    // Refused before anything was written.
    expect([likeRows(id), await likeCount(id)]).toEqual([0, 0]);
    // Another account is not held back by Bob's limit.
    expect(await like(start + 3100, true, carol)).toMatchObject({ ok: true, likeCount: 1 });
    expect(await like(start + 60_001, true)).toMatchObject({ ok: true, liked: true, likeCount: 2 });
    // The hour's limit: 300 however they are spread (31 counted so far, the refused one not).
    for (let n = 0; n < 269; n++) expect((await like(start + 61_000 * (2 + Math.floor(n / 30)) + (n % 30) * 100, n % 2 === 1)).ok).toBe(true);
    expect(await like(start + 61_000 * 12, true)).toMatchObject({ ok: false, code: 'rate-limited' });
  });

  it('allows 30 comments an hour', async () => {
    const start = now;
    for (let i = 0; i < 30; i++) await postOk(ada, `comment ${i}`, { at: start + i * 61_000 });
    const refused = await post(ada, 'thirty-first', { at: start + 30 * 61_000 });
    expect(refused).toMatchObject({ ok: false, code: 'rate-limited' });
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
    expect(await post(bob, 'to nothing', { parentId: 999_999 })).toMatchObject({ ok: false, code: 'not-found' });
    expect(await post(bob, 'wrong essay', { parentId: parent, essay: OTHER })).toMatchObject({ ok: false, code: 'invalid' });
    const hidden = await postOk(ada, 'hidden one');
    db.update(comments).set({ status: 'hidden', moderationReason: 'abuse' }).where(eq(comments.id, hidden)).run();
    expect(await post(bob, 'to hidden', { parentId: hidden })).toMatchObject({ ok: false, code: 'not-found' });
    const pending = await postOk(ada, 'pending one');
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, pending)).run();
    // A held comment is missing to whoever may not read it; its author is told it awaits moderation.
    expect(await post(bob, 'to pending', { parentId: pending })).toMatchObject({ ok: false, code: 'not-found', message: expect.stringContaining('no longer there') });
    expect(await post(ada, 'to my pending', { parentId: pending })).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('keeps replies of any depth, nested to 5 and flat below', async () => {
    let parent: number | null = null;
    const ids: number[] = [];
    for (let depth = 0; depth < 8; depth++) ids.push((parent = await postOk(depth % 2 ? bob : ada, `level ${depth}`, { parentId: parent })));
    const page = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, reader: SIGNED_OUT });
    expect(page.rows).toHaveLength(8);
    expect((await findComment(db, ids[7]!))!.depth).toBe(7);
    const [thread] = buildThreads(page.rows, { sort: 'oldest', reader: SIGNED_OUT });
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
    expect(await updateComment(db, { essayOf, reader: bob, id, body: 'hijack', now: now + 1000 })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await updateComment(db, { essayOf, reader: ada, id, body: '  ', now: now + 1000 })).toMatchObject({ ok: false, code: 'invalid' });
    expect(await updateComment(db, { essayOf, reader: ada, id, body: 'better **words**', now: now + 60_000 })).toMatchObject({ ok: true });
    const row = db.select().from(comments).where(eq(comments.id, id)).get()!;
    expect(row).toMatchObject({ bodySource: 'better **words**', bodyHtml: '<p>better <strong>words</strong></p>', editedAt: now + 60_000 });
    expect(await updateComment(db, { essayOf, reader: ada, id, body: 'too late', now: now + 15 * 60_000 + 1 })).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('15 minutes') });
    expect(await updateComment(db, { essayOf, reader: ada, id: 424242, body: 'x', now })).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('refuses the author\'s edit inside the window while the discussion is closed, by front matter or a moderator, and takes it once reopened', async () => {
    const edit = (id: number, body: string, at: number) => updateComment(db, { essayOf, reader: ada, id, body, now: at });
    const closed = { ok: false, code: 'closed', message: expect.stringContaining('closed') };
    // Closed by a moderator after posting.
    const id = await postOk(ada, 'first words', { at: now });
    db.insert(discussions).values({ essay: ESSAY.slug, closed: true, updatedAt: now }).run();
    expect(await edit(id, 'an edit while closed', now + 1000)).toMatchObject(closed);
    expect((await findComment(db, id))!).toMatchObject({ bodySource: 'first words', editedAt: null });
    db.update(discussions).set({ closed: false }).where(eq(discussions.essay, ESSAY.slug)).run();
    expect(await edit(id, 'an edit once reopened', now + 2000)).toMatchObject({ ok: true });
    expect((await findComment(db, id))!.bodySource).toBe('an edit once reopened');
    // Closed by the essay's front matter (the comment came while a moderator had it open), then the override dropped.
    db.insert(discussions).values({ essay: CLOSED.slug, closed: false, updatedAt: now }).run();
    const there = await postOk(ada, 'under the closed essay', { essay: CLOSED, at: now });
    db.update(discussions).set({ closed: null }).where(eq(discussions.essay, CLOSED.slug)).run();
    expect(await edit(there, 'an edit under closed front matter', now + 3000)).toMatchObject(closed);
    expect((await findComment(db, there))!.bodySource).toBe('under the closed essay');
  });

  it('asks the edit rule again inside the write, so a check made earlier cannot let a late edit through', async () => {
    const id = await postOk(ada, 'first words', { at: now });
    const edit = (who: Reader, at: number) => editComment(db, { id, reader: who, bodySource: 'changed', bodyHtml: '<p>changed</p>', rendererVersion: 1, now: at });
    expect(await edit(ada, now + 15 * 60_000 + 1)).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('15 minutes') });
    expect(await edit(bob, now + 1)).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('Only the author') });
    expect((await findComment(db, id))!.bodySource).toBe('first words');
    expect(await edit(ada, now + 1)).toEqual({ ok: true });
  });

  it('turns a deleted comment with replies into a placeholder, and removes one without', async () => {
    const parent = await postOk(ada, 'parent');
    const reply = await postOk(bob, 'reply', { parentId: parent });
    await setLike(db, { commentId: parent, reader: bob, liked: true });
    expect(await removeComment(db, { reader: bob, id: parent })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await removeComment(db, { reader: ada, id: parent })).toMatchObject({ ok: true, rootRemains: true });
    expect(db.select().from(comments).where(eq(comments.id, parent)).get()).toMatchObject({ status: 'deleted', bodySource: '', bodyHtml: '', authorId: null, likeCount: 0 });
    expect(likeRows(parent)).toBe(0);
    const page = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, reader: SIGNED_OUT });
    expect(buildThreads(page.rows, { sort: 'oldest', reader: SIGNED_OUT }).map((n) => [n.kind, n.replies.length])).toEqual([['deleted', 1]]);
    // The last reply goes, and the placeholder left without replies goes with it.
    expect(await removeComment(db, { reader: bob, id: reply })).toMatchObject({ ok: true, rootRemains: false });
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(0);
    expect(await removeComment(db, { reader: bob, id: reply })).toMatchObject({ ok: false, code: 'not-found' });
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
    expect(await likeComment(db, { reader: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: true, liked: true, likeCount: 1 });
    expect(await likeComment(db, { reader: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: true, likeCount: 1 });
    expect(likeRows(id)).toBe(1);
    expect(await likeComment(db, { reader: bob, id, liked: false, essayOf, now })).toMatchObject({ ok: true, liked: false, likeCount: 0 });
    expect(await likeComment(db, { reader: ada, id, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('own') });
    expect(await likeComment(db, { reader: SIGNED_OUT, id, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'signed-out' });
    expect(await likeComment(db, { reader: suspended(bob), id, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'banned' });
    expect(await likeComment(db, { reader: bob, id: 999, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'not-found' });
    for (const status of ['hidden', 'pending', 'deleted', 'spam'] as const) {
      db.update(comments).set({ status }).where(eq(comments.id, id)).run();
      // What bob may not read is missing to him, as a comment that never was.
      expect(await likeComment(db, { reader: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'not-found' });
    }
    db.update(comments).set({ status: 'published' }).where(eq(comments.id, id)).run();
    db.insert(discussions).values({ essay: ESSAY.slug, closed: true, updatedAt: now }).run();
    expect(await likeComment(db, { reader: bob, id, liked: true, essayOf, now })).toMatchObject({ ok: false, code: 'closed', message: expect.stringContaining('closed') });
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
          toggles.push(setLike(conn, { commentId: id, reader: readerAs(reader), liked: (round + i) % 3 !== 0 }));
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

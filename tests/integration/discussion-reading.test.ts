// Reading a discussion through the functions the pages call, on a real migrated SQLite: pages of
// threads in one query, the reader's likes and held comments, replies to a reader, the feeds and
// the re-rendering of comments stored by an older renderer.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { latestComments, rerenderStaleComments } from '../../db/discussion/comment-lists.ts';
import { setLike } from '../../db/discussion/likes.ts';
import { countUnreadReplies, listRepliesTo, markRepliesSeen } from '../../db/discussion/replies.ts';
import { countComments, listThreadPage, locateComment, ROOTS_BEFORE } from '../../db/discussion/thread-reads.ts';
import { comments } from '../../db/schema.ts';
import { buildThreads } from '../../src/features/discussion/thread.ts';
import { SIGNED_OUT } from '../support/discussion-readers.ts';
import { ada, bob, db, ESSAY, idOf, OTHER, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

useDiscussionWorld();

describe('reading a discussion', () => {
  it('pages by 50 top-level threads with all their replies, in one query', async () => {
    const author = await makeUser(db);
    for (let i = 0; i < 120; i++) {
      const root = await makeComment(db, { essay: ESSAY.slug, authorId: author.id, body: `t${i}`, createdAt: i * 10 });
      await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: `r${i}`, parentId: root, createdAt: i * 10 + 1 });
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
      first = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, reader: bob });
    } finally {
      methods.forEach((m, i) => (Statement[m] = originals[i]));
    }
    expect(statements).toBe(1);
    expect(first.rows).toHaveLength(100);
    expect(first.hasMore).toBe(true);
    const third = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 3, reader: SIGNED_OUT });
    expect(third.rows).toHaveLength(40);
    expect(third.hasMore).toBe(false);
    const newest = buildThreads((await listThreadPage(db, { essay: ESSAY.slug, sort: 'newest', page: 1, reader: SIGNED_OUT })).rows, { sort: 'newest', reader: SIGNED_OUT });
    expect(newest[0]!.comment.bodyHtml).toBe('<p>t119</p>');
    expect((await locateComment(db, third.rows[0]!.id, SIGNED_OUT))!.page).toBe(3);
  });

  it('uses the index for the top-level threads and the replies (no full scan)', () => {
    const plan = db.$client
      .prepare("explain query plan select id from comments r where r.essay = 'e' and r.parent_id is null order by r.created_at, r.id limit 50")
      .all()
      .map((r: any) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH r USING (COVERING )?INDEX comments_essay_thread/);
    expect(plan).not.toMatch(/SCAN/);
    // Which page holds a thread (every post's and like's redirect): from the index alone.
    const locate = db.$client
      .prepare(`explain query plan ${ROOTS_BEFORE}`)
      .all({ essay: 'e', viewer: null, moderator: 0, createdAt: 1, id: 1 })
      .map((r: any) => r.detail)
      .join('\n');
    expect(locate).toMatch(/SEARCH r USING COVERING INDEX comments_essay_thread/);
    const replies = db.$client.prepare('explain query plan select * from comments c where c.root_id = 1').all().map((r: any) => r.detail).join('\n');
    expect(replies).toMatch(/SEARCH c USING INDEX comments_root/);
  });

  it('marks the comments the viewer likes, and shows pending comments to their author only', async () => {
    const id = await postOk(ada, 'liked by bob');
    await setLike(db, { commentId: id, reader: bob, liked: true });
    const pending = await postOk(bob, 'held');
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, pending)).run();
    const asBob = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, reader: bob });
    expect(asBob.rows.map((r) => [r.id, r.liked])).toEqual(expect.arrayContaining([[id, true], [pending, false]]));
    const asAda = await listThreadPage(db, { essay: ESSAY.slug, sort: 'oldest', page: 1, reader: ada });
    expect(asAda.rows.map((r) => r.id)).toEqual([id]);
    expect(await countComments(db, ESSAY.slug)).toBe(1);
  });

  it('lists replies to a reader with an unread count, cleared once seen', async () => {
    const mine = await postOk(ada, 'mine', { at: 1000 });
    await postOk(bob, 'reply 1', { parentId: mine, at: 2000 });
    await postOk(ada, 'my own reply does not count', { parentId: mine, at: 3000 });
    expect(await countUnreadReplies(db, idOf(ada))).toBe(1);
    expect((await listRepliesTo(db, idOf(ada))).map((r) => r.bodyHtml)).toEqual(['<p>reply 1</p>']);
    await markRepliesSeen(db, idOf(ada), 2500);
    expect(await countUnreadReplies(db, idOf(ada))).toBe(0);
    await postOk(bob, 'reply 2', { parentId: mine, at: 4000 });
    expect(await countUnreadReplies(db, idOf(ada))).toBe(1);
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
    const old = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'Some *emphasis*' });
    const current = await postOk(ada, 'Already **current**');
    db.update(comments).set({ bodyHtml: '<p>stale</p>' }).where(eq(comments.id, current)).run();
    expect(await rerenderStaleComments(db, 1, (source) => `<p>${source.length}</p>`, 1)).toBe(1);
    expect(db.select().from(comments).where(eq(comments.id, old)).get()).toMatchObject({ bodyHtml: '<p>15</p>', rendererVersion: 1 });
    expect(db.select().from(comments).where(eq(comments.id, current)).get()!.bodyHtml).toBe('<p>stale</p>');
    expect(await rerenderStaleComments(db, 1, () => 'never')).toBe(0);
  });
});

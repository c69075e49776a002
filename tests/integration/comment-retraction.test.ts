// The shared rule for taking comments away, on a real migrated database.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../../db/client.ts';
import { retractComments } from '../../db/discussion/comment-retraction.ts';
import { comments, discussions, flags, likes } from '../../db/schema.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

const ESSAY = 'an-essay';
let db: Db;
let ada: { id: string };
let bo: { id: string };

beforeEach(async () => {
  db = createDatabase();
  ada = await makeUser(db);
  bo = await makeUser(db);
});

const row = (id: number) => db.select().from(comments).where(eq(comments.id, id)).get();
const retract = (ids: number[]) => db.transaction((tx) => retractComments(tx, ids));

describe('retractComments', () => {
  it('removes a comment without replies, with its likes and flags', async () => {
    const id = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'gone soon' });
    db.insert(likes).values({ commentId: id, userId: bo.id, createdAt: 1 }).run();
    db.insert(flags).values({ commentId: id, userId: bo.id, reason: 'spam', createdAt: 1 }).run();
    expect(retract([id])).toEqual({ placeholders: [], removed: [id] });
    expect(row(id)).toBeUndefined();
    expect(db.select().from(likes).all()).toEqual([]);
    expect(db.select().from(flags).all()).toEqual([]);
  });

  it('turns a comment with replies into an empty, authorless placeholder', async () => {
    const parent = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'my secret opinion' });
    const reply = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'a reply', parentId: parent });
    db.update(comments).set({ likeCount: 1, moderationNote: 'note about ada', editedAt: 5 }).where(eq(comments.id, parent)).run();
    db.insert(likes).values({ commentId: parent, userId: bo.id, createdAt: 1 }).run();
    db.insert(discussions).values({ essay: ESSAY, pinnedCommentId: parent, updatedAt: 1 }).run();

    expect(retract([parent])).toEqual({ placeholders: [parent], removed: [] });
    expect(row(parent)).toMatchObject({
      status: 'deleted', authorId: null, bodySource: '', bodyHtml: '', likeCount: 0, moderationNote: null, editedAt: null,
      parentId: null, rootId: parent, essay: ESSAY,
    });
    expect(row(reply)).toMatchObject({ bodySource: 'a reply', parentId: parent, authorId: bo.id, status: 'published' });
    expect(db.select().from(likes).all()).toEqual([]);
  });

  it('removes a placeholder once its last reply is removed, all the way up', async () => {
    const top = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'top' });
    const middle = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'middle', parentId: top });
    const leaf = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'leaf', parentId: middle });
    retract([top]);
    retract([middle]);
    expect(row(top)?.status).toBe('deleted');
    expect(row(middle)?.status).toBe('deleted');

    expect(retract([leaf])).toEqual({ placeholders: [], removed: [leaf, middle, top] });
    expect(db.select().from(comments).all()).toEqual([]);
  });

  it('stops climbing at a parent that still has content or other replies', async () => {
    const top = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'top stays' });
    const placeholder = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'x', parentId: top });
    const a = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'a', parentId: placeholder });
    const b = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'b', parentId: placeholder });
    retract([placeholder]);
    expect(retract([a]).removed).toEqual([a]);
    expect(row(placeholder)?.status).toBe('deleted');
    expect(retract([b]).removed).toEqual([b, placeholder]);
    expect(row(top)?.bodySource).toBe('top stays');
  });

  it('handles a reader’s own thread in one call, whatever the order of ids', async () => {
    const top = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'top' });
    const own = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'own reply', parentId: top });
    const other = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'other thread' });
    const kept = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'bo replies', parentId: other });
    const result = retract([top, other, own]);
    expect(result.removed.sort()).toEqual([top, own].sort());
    expect(result.placeholders).toEqual([other]);
    expect(row(kept)?.parentId).toBe(other);
  });

  it('counts a hidden or pending reply as a reply: the thread keeps its shape', async () => {
    const parent = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'parent' });
    const reply = await makeComment(db, { essay: ESSAY, authorId: bo.id, body: 'held', parentId: parent });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, reply)).run();
    expect(retract([parent]).placeholders).toEqual([parent]);
  });

  it('ignores unknown ids and an empty list', () => {
    expect(retract([])).toEqual({ placeholders: [], removed: [] });
    expect(retract([9999])).toEqual({ placeholders: [], removed: [] });
  });
});

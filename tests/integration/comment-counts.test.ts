// Comment counts on a real migrated SQLite database.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { countComments } from '../../db/discussion/thread-reads.ts';
import { comments } from '../../db/schema.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

describe('comment counts', () => {
  let db: Db;
  beforeEach(() => {
    db = createDatabase();
  });
  afterEach(() => closeDatabase(db));

  it('counts the published comments of one essay, replies included, nothing else', async () => {
    const ada = await makeUser(db);
    expect(await countComments(db, 'one')).toBe(0);
    const first = await makeComment(db, { essay: 'one', authorId: ada.id, body: 'a' });
    await makeComment(db, { essay: 'one', authorId: ada.id, body: 'b', parentId: first });
    const hidden = await makeComment(db, { essay: 'one', authorId: ada.id, body: 'c' });
    await makeComment(db, { essay: 'two', authorId: ada.id, body: 'd' });
    db.update(comments).set({ status: 'hidden' }).where(eq(comments.id, hidden)).run();
    expect(await countComments(db, 'one')).toBe(2);
    expect(await countComments(db, 'two')).toBe(1);
  });
});

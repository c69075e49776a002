import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeDatabase, createDatabase, openDatabase, type Db } from '../../db/client.ts';
import { listPublishedComments } from '../../db/discussion/comment-lists.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

let db: Db | undefined;
afterEach(() => db && closeDatabase(db));

describe('the database', () => {
  it('is created by the committed migrations with every table', () => {
    db = createDatabase();
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'comments', 'likes', 'flags', 'poll_votes', 'moderation_log']));
  });

  it('opens files with WAL, foreign keys, a busy timeout and synchronous=NORMAL', () => {
    db = createDatabase(join(tempDir(), 'site.db'));
    const pragma = (name: string) => db!.$client.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(pragma('synchronous')).toBe(1);
  });

  it('keeps its rows when opened again, and migrating twice changes nothing', async () => {
    const path = join(tempDir(), 'site.db');
    db = createDatabase(path);
    const user = await makeUser(db);
    await makeComment(db, { essay: 'e', authorId: user.id, body: 'kept' });
    closeDatabase(db);
    db = createDatabase(path);
    expect((await listPublishedComments(db, 'e')).map((c) => c.bodyHtml)).toEqual(['<p>kept</p>']);
  });

  it('refuses a comment whose author does not exist (foreign keys are enforced)', async () => {
    db = createDatabase();
    await expect(makeComment(db, { essay: 'e', authorId: 'nobody', body: 'x' })).rejects.toThrow(/FOREIGN KEY/);
    expect(db.$client.prepare('select count(*) from comments').pluck().get()).toBe(0);
  });

  it('lists one essay’s published comments, oldest first, with author names', async () => {
    db = createDatabase();
    const ada = await makeUser(db, { displayName: 'Ada' });
    const first = await makeComment(db, { essay: 'a', authorId: ada.id, body: 'first', createdAt: 1 });
    await makeComment(db, { essay: 'a', authorId: ada.id, body: 'second', parentId: first, createdAt: 2 });
    await makeComment(db, { essay: 'b', authorId: ada.id, body: 'elsewhere' });
    const rows = await listPublishedComments(db, 'a');
    expect(rows.map((r) => [r.bodyHtml, r.authorName, r.parentId])).toEqual([
      ['<p>first</p>', 'Ada', null],
      ['<p>second</p>', 'Ada', first],
    ]);
  });

  it('openDatabase without migrations leaves an empty file (the start command migrates)', () => {
    db = openDatabase(join(tempDir(), 'bare.db'));
    expect(db.$client.prepare("select count(*) from sqlite_master where name = 'comments'").pluck().get()).toBe(0);
  });
});

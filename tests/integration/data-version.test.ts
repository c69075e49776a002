import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, openDatabase } from '../../db/client.ts';
import { dataVersion } from '../../db/data-version.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

describe('dataVersion', () => {
  it('stays put while nothing is written, and moves on writes by this connection or another', async () => {
    const path = join(tempDir(), 'site.db');
    const db = createDatabase(path);
    const other = openDatabase(path);
    const user = await makeUser(db);
    const start = await dataVersion(db);
    expect(await dataVersion(db)).toBe(start);

    await makeComment(db, { essay: 'e', authorId: user.id, body: 'mine' });
    const afterOwn = await dataVersion(db);
    expect(afterOwn).not.toBe(start);

    await makeComment(other, { essay: 'e', authorId: user.id, body: 'theirs' });
    expect(await dataVersion(db)).not.toBe(afterOwn);
    closeDatabase(other);
    closeDatabase(db);
  });
});

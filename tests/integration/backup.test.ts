import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDatabase, integrityCheck } from '../../db/backup.ts';
import { closeDatabase, createDatabase, openDatabase } from '../../db/client.ts';
import { listPublishedComments } from '../../db/discussion/comment-lists.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { ROOT, tempDir } from '../support/paths.ts';

describe('online backup', () => {
  it('copies a database that another connection keeps writing to, and the copy restores', async () => {
    const dir = tempDir();
    const live = createDatabase(join(dir, 'site.db'));
    const writer = openDatabase(join(dir, 'site.db'));
    const user = await makeUser(live);
    for (let i = 0; i < 200; i++) await makeComment(live, { essay: 'e', authorId: user.id, body: `before ${i}` });
    const backup = backupDatabase(live, join(dir, 'backups', 'copy.db'));
    await makeComment(writer, { essay: 'e', authorId: user.id, body: 'during' });
    await backup;

    const restored = createDatabase(join(dir, 'backups', 'copy.db'));
    expect(await integrityCheck(restored)).toBe('ok');
    const bodies = (await listPublishedComments(restored, 'e')).map((c) => c.bodyHtml);
    expect(bodies.slice(0, 200)).toEqual(Array.from({ length: 200 }, (_, i) => `<p>before ${i}</p>`));
    for (const db of [live, writer, restored]) closeDatabase(db);
  });

  it('npm run db:backup writes a checked, timestamped copy beside the database', async () => {
    const dir = tempDir();
    const db = createDatabase(join(dir, 'site.db'));
    await makeUser(db);
    closeDatabase(db);
    const result = spawnSync(process.execPath, [join(ROOT, 'src/cli/backup.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: join(dir, 'site.db') },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const path = result.stdout.match(/to (\S+) \(/)?.[1];
    expect(path).toMatch(/backups\/site-\d{4}-\d\d-\d\dT.*\.db$/);
    expect(existsSync(path!)).toBe(true);
  });

  it('refuses clearly when there is no database', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'src/cli/backup.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: join(tempDir(), 'missing.db') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^No database at .*missing\.db/);
  });
});

// `npm run admin`: the real command in its own process, against a real database file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { listLog } from '../../db/moderation/moderation-log.ts';
import { users } from '../../db/schema.ts';
import { verifyPassword } from '../../src/features/accounts/password.ts';
import { ROOT, tempDir } from '../support/paths.ts';

function admin(databasePath: string, args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'src/cli/admin.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: databasePath },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function readUser(databasePath: string, username: string) {
  const db = openDatabase(databasePath);
  try {
    return db.select().from(users).where(eq(users.usernameKey, username.toLowerCase())).get();
  } finally {
    closeDatabase(db);
  }
}

describe('npm run admin', () => {
  it('creates an admin from a password on stdin, lists, promotes and demotes, refusing the last admin', async () => {
    const path = join(tempDir(), 'site.db');
    expect(admin(path, ['list']).stdout).toBe('No admins yet: create one with `npm run admin -- create <username>`.');

    const created = admin(path, ['create', 'Editor', '--password-stdin'], 'correct horse battery\n');
    expect(created).toMatchObject({ status: 0, stdout: 'Created the admin account "Editor". Sign in at /signin, then open /admin.' });
    const editor = readUser(path, 'editor')!;
    expect(editor.role).toBe('admin');
    expect(editor.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(editor.passwordHash, 'correct horse battery')).toBe(true);
    expect(admin(path, ['list']).stdout).toMatch(/^Editor\tsince \d{4}-\d\d-\d\d$/);

    expect(admin(path, ['demote', 'editor'])).toMatchObject({ status: 1, stderr: 'Editor is the last admin: promote someone else first, or the site has no moderator.' });
    expect(admin(path, ['create', 'editor', '--password-stdin'], 'another long password')).toMatchObject({ status: 1 });
    expect(admin(path, ['create', 'second', '--password-stdin'], 'short')).toMatchObject({ status: 1, stderr: 'An admin password needs at least 12 characters.' });
    expect(admin(path, ['create', 'no spaces!', '--password-stdin'], 'long enough password')).toMatchObject({ status: 1 });
    expect(readUser(path, 'second')).toBeUndefined();

    expect(admin(path, ['create', 'second', '--password-stdin'], 'a different passphrase')).toMatchObject({ status: 0 });
    expect(admin(path, ['demote', 'Editor'])).toMatchObject({ status: 0, stdout: 'Editor is now a reader.' });
    expect(readUser(path, 'editor')!.role).toBe('reader');
    expect(admin(path, ['promote', 'editor'])).toMatchObject({ status: 0, stdout: 'editor is now an admin.' });
    expect(admin(path, ['promote', 'nobody'])).toMatchObject({ status: 1, stderr: '"nobody" does not exist (any more).' });

    const db = openDatabase(path);
    const log = await listLog(db);
    closeDatabase(db);
    expect(log.map((e) => [e.action, e.adminName])).toEqual([
      ['promote', 'command line'],
      ['demote', 'command line'],
      ['create-admin', 'command line'],
      ['create-admin', 'command line'],
    ]);
  }, 90_000);

  it('explains its usage, and refuses to prompt without a terminal', () => {
    const path = join(tempDir(), 'site.db');
    const unknown = admin(path, ['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown command "frobnicate"\.\nUsage: npm run admin -- <command>/);
    const noTty = admin(path, ['create', 'someone']);
    expect(noTty.status).toBe(2);
    expect(noTty.stderr).toMatch(/^No terminal to ask for a password on: pipe it in with --password-stdin\./);
  }, 30_000);
});

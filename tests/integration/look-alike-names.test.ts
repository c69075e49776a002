// Look-alike names across accounts (finding 12 of the security review), on a real migrated
// database: a display name or a new username may not look like another account's username or
// display name; looking like one's own username is fine.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import { COMMAND_LINE } from '../../db/moderation/moderation-log.ts';
import { createAdmin } from '../../db/moderation/user-moderation.ts';
import { findUserByUsername, refreshNameSkeletons, setDisplayName } from '../../db/accounts/users.ts';
import { changeDisplayName, deleteAccountWithPassword, signUp } from '../../src/features/accounts/service.ts';
import type { AuthContext } from '../../src/features/accounts/sessions.ts';
import { readerFor } from '../support/account-reader.ts';
import { nameSkeleton } from '../../src/features/accounts/name-skeleton.ts';
import { prepareDatabase } from '../../src/server/database-setup.ts';
import { CLIENT, testAuthContext } from '../support/auth-context.ts';
import { tempDir } from '../support/paths.ts';

const PASSWORD = 'kettle-on-the-hob';
let ctx: AuthContext;

beforeEach(() => {
  ctx = testAuthContext();
});

async function account(username: string, displayName = '') {
  const made = await signUp(ctx, { username, password: PASSWORD, confirm: PASSWORD, displayName }, CLIENT);
  if (!made.ok) throw new Error(`could not make ${username}: ${made.message}`);
  return readerFor(ctx.db, made.userId);
}
const userCount = () => ctx.db.select().from(users).all().length;
const displayNameOf = async (username: string) => (await findUserByUsername(ctx.db, username))!.displayName;

describe('display names that look like another account', () => {
  it.each(['ada_l', 'ADA_L', 'Ada-L', '\u0430da_l', 'ada l', 'ＡＤＡ＿Ｌ', 'adal', 'ada_1', '@ada_l', '\u1D00\u1D05\u1D00_\u029F', '\u1D00d\u1D00 \u026B'])(
    'refuses %j as Bob’s display name when Ada is ada_l: 409, and nothing changes',
    async (name) => {
      await account('ada_l');
      const bob = await account('bob_b', 'Bob');
      expect(await changeDisplayName(ctx, bob, name)).toMatchObject({ ok: false, code: 'conflict', field: 'displayName', message: expect.stringMatching(/looks too much like/) });
      expect(await displayNameOf('bob_b')).toBe('Bob');
    },
  );

  it('refuses another account’s display name, by look-alike', async () => {
    await account('ada_l', 'Countess Lovelace');
    const bob = await account('bob_b');
    for (const name of ['Countess Lovelace', 'countess lovelace', 'C0untess L0velace', 'Сountess Lovelace', 'Countess  Lovelace!']) {
      expect(await changeDisplayName(ctx, bob, name)).toMatchObject({ ok: false, code: 'conflict' });
    }
    expect(await displayNameOf('bob_b')).toBeNull();
    expect(await changeDisplayName(ctx, bob, 'Countess of Bob')).toEqual({ ok: true });
  });

  it('refuses an admin’s username as a reader’s display name', async () => {
    const admin = await account('jane_ops');
    ctx.db.update(users).set({ role: 'admin' }).where(eq(users.id, admin.account!.id)).run();
    const reader = await account('reader_r');
    for (const name of ['jane_ops', 'Jane Ops', 'JANE-0PS', 'јane_ops']) {
      expect(await changeDisplayName(ctx, reader, name)).toMatchObject({ ok: false, code: 'conflict' });
    }
  });

  it('lets a reader take a look-alike of their own username, and change it again', async () => {
    const ada = await account('ada_l');
    expect(await changeDisplayName(ctx, ada, 'Ada L')).toEqual({ ok: true });
    expect(await changeDisplayName(ctx, ada, 'ADA_L')).toEqual({ ok: true });
    expect(await changeDisplayName(ctx, ada, 'Ada L')).toEqual({ ok: true });
    expect(await displayNameOf('ada_l')).toBe('Ada L');
  });

  it('frees a display name when its owner changes it or deletes the account', async () => {
    const ada = await account('ada_l', 'Countess');
    const bob = await account('bob_b');
    expect(await changeDisplayName(ctx, bob, 'Countess')).toMatchObject({ code: 'conflict' });
    expect(await changeDisplayName(ctx, ada, 'Lady Ada')).toEqual({ ok: true });
    expect(await changeDisplayName(ctx, bob, 'Countess')).toEqual({ ok: true });
    expect(await changeDisplayName(ctx, bob, 'Lady Ada')).toMatchObject({ code: 'conflict' });
    expect(await deleteAccountWithPassword(ctx, ada, PASSWORD)).toEqual({ ok: true });
    expect(await changeDisplayName(ctx, bob, 'Lady Ada')).toEqual({ ok: true });
  });

  // A zero-width space hides in a name; refused for it before any look-alike is sought.
  it('refuses "ada\u200B_l" for its invisible character', async () => {
    await account('ada_l');
    const bob = await account('bob_b', 'Bob');
    expect(await changeDisplayName(ctx, bob, 'ada\u200B_l')).toMatchObject({ ok: false, code: 'invalid', field: 'displayName', message: expect.stringMatching(/invisible/) });
    expect(await displayNameOf('bob_b')).toBe('Bob');
  });

  // A name needs a letter or digit; one kept from before that rule (emoji alone) has no skeleton,
  // so it blocks nobody.
  it('refuses names without letters or digits (emoji alone); one kept from before blocks nobody', async () => {
    const ada = await account('ada_l');
    const bob = await account('bob_b');
    expect(await changeDisplayName(ctx, bob, '🙂')).toMatchObject({ ok: false, code: 'invalid', message: expect.stringMatching(/letter or digit/) });
    expect(await setDisplayName(ctx.db, ada.account!.id, '🙂')).toBe(true);
    expect(ctx.db.select({ s: users.displayNameSkeleton }).from(users).where(eq(users.id, ada.account!.id)).get()).toEqual({ s: null });
    expect(await changeDisplayName(ctx, bob, 'Bob 🙂')).toEqual({ ok: true });
  });
});

describe('sign-up and look-alike names', () => {
  it.each(['ada-l', 'ADA_L', 'adal', 'ada_1', 'ada__l'])('refuses the username %j when ada_l exists: 409, no account', async (username) => {
    await account('ada_l');
    const before = userCount();
    const refused = await signUp(ctx, { username, password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    expect(refused).toMatchObject({ ok: false, code: 'conflict', field: 'username' });
    expect(userCount()).toBe(before);
  });

  it('refuses a username that looks like another account’s display name', async () => {
    await account('ada_l', 'Countess');
    const refused = await signUp(ctx, { username: 'C0UNTESS', password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    expect(refused).toMatchObject({ ok: false, code: 'conflict', field: 'username', message: expect.stringMatching(/looks too much like/) });
  });

  it('refuses a display name that looks like another account’s, and takes one like the new username', async () => {
    await account('ada_l');
    const refused = await signUp(ctx, { username: 'bob_b', password: PASSWORD, confirm: PASSWORD, displayName: 'Ada L' }, CLIENT);
    expect(refused).toMatchObject({ ok: false, code: 'conflict', field: 'displayName' });
    expect(await findUserByUsername(ctx.db, 'bob_b')).toBeUndefined();
    expect((await signUp(ctx, { username: 'bob_b', password: PASSWORD, confirm: PASSWORD, displayName: 'Bob B' }, CLIENT)).ok).toBe(true);
  });

  it('refuses invisible and reserved display names at sign-up with 400', async () => {
    for (const displayName of ['\u3164', 'аdmin', 'Site Admin']) {
      expect(await signUp(ctx, { username: 'bob_b', password: PASSWORD, confirm: PASSWORD, displayName }, CLIENT)).toMatchObject({ code: 'invalid', field: 'displayName' });
    }
    expect(userCount()).toBe(0);
  });
});

describe('admin accounts made on the command line', () => {
  it('may not look like a reader’s display name, and are looked up like any account afterwards', async () => {
    const reader = await account('reader_r', 'Jane Ops');
    expect(() => createAdmin(ctx.db, COMMAND_LINE, { id: 'a1', username: 'jane_ops', passwordHash: 'x' })).toThrow(/looks too much like/);
    expect(await findUserByUsername(ctx.db, 'jane_ops')).toBeUndefined();
    await createAdmin(ctx.db, COMMAND_LINE, { id: 'a2', username: 'ops_desk', passwordHash: 'x' });
    expect(await changeDisplayName(ctx, reader, 'Ops Desk')).toMatchObject({ code: 'conflict' });
  });
});

describe('stored skeletons', () => {
  it('are written with every name and looked up through their indexes', async () => {
    const ada = await account('Ada_L', 'Countess');
    expect(ctx.db.select({ u: users.usernameSkeleton, d: users.displayNameSkeleton }).from(users).where(eq(users.id, ada.account!.id)).get()).toEqual({
      u: nameSkeleton('Ada_L'),
      d: nameSkeleton('Countess'),
    });
    const plan = ctx.db.$client
      .prepare('explain query plan select id from users where (username_skeleton = ? or display_name_skeleton = ?) and id <> ? limit 1')
      .all('x', 'x', 'y') as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/users_username_skeleton/);
    expect(details).toMatch(/users_display_name_skeleton/);
    expect(details).not.toMatch(/SCAN users\b(?! USING)/);
  });

  it('are filled in at start-up for accounts written before the migration', async () => {
    const dir = tempDir();
    // The migrations as they were before 0003, then a reader and an admin as they were stored then.
    const before = join(dir, 'migrations-before');
    mkdirSync(join(before, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const index = journal.entries.findIndex((e) => e.tag === '0003_name_skeletons');
    expect(index).toBeGreaterThan(0);
    for (const entry of journal.entries.slice(0, index)) cpSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
    writeFileSync(join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));
    const path = join(dir, 'site.db');
    const old = openDatabase(path);
    migrateDatabase(old, before);
    old.$client
      .prepare("insert into users (id, username, username_key, display_name, password_hash, role, created_at) values (?, ?, ?, ?, 'x', ?, 1)")
      .run('old-admin', 'jane_ops', 'jane_ops', null, 'admin');
    old.$client
      .prepare("insert into users (id, username, username_key, display_name, password_hash, role, created_at) values (?, ?, ?, ?, 'x', ?, 1)")
      .run('old-reader', 'ada_l', 'ada_l', 'Countess', 'reader');
    closeDatabase(old);
    rmSync(before, { recursive: true });

    await prepareDatabase(path);
    const db = openDatabase(path);
    try {
      expect(db.select({ id: users.id, u: users.usernameSkeleton, d: users.displayNameSkeleton }).from(users).all()).toEqual(
        expect.arrayContaining([
          { id: 'old-admin', u: nameSkeleton('jane_ops'), d: null },
          { id: 'old-reader', u: nameSkeleton('ada_l'), d: nameSkeleton('Countess') },
        ]),
      );
      // Nothing left to do the second time.
      expect(await refreshNameSkeletons(db)).toBe(0);
    } finally {
      closeDatabase(db);
    }
  });
});

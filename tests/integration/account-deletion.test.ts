// Deleting an account, then reading every table to prove nothing personal remains.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accountData, deleteAccount } from '../../db/accounts/accounts.ts';
import { appeals, comments, flags, likes, moderationLog, pollVotes, users } from '../../db/schema.ts';
import { deleteAccountWithPassword, signIn, signUp } from '../../src/features/accounts/service.ts';
import { throttleKey } from '../../src/features/accounts/throttle.ts';
import { readerFor } from '../support/account-reader.ts';
import { CLIENT, testAuthContext } from '../support/auth-context.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

const PASSWORD = 'kettle-on-the-hob';
const ESSAY = 'an-essay';

async function seed() {
  const ctx = testAuthContext();
  const made = await signUp(ctx, { username: 'Ada_Unique', password: PASSWORD, confirm: PASSWORD, displayName: 'Countess Lovelace' }, CLIENT);
  if (!made.ok) throw new Error(made.message);
  const ada = { id: made.userId, username: 'Ada_Unique' };
  ctx.db.update(users).set({ role: 'admin' }).where(eq(users.id, ada.id)).run();
  const bob = await makeUser(ctx.db, { username: 'bob_b', displayName: 'Bob' });
  const cy = await makeUser(ctx.db, { username: 'cy_c' });
  const db = ctx.db;

  const answered = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'ADA-ANSWERED-SECRET' });
  const bobsReply = await makeComment(db, { essay: ESSAY, authorId: bob.id, body: 'bob replies to ada', parentId: answered });
  const lonely = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'ADA-LONELY-SECRET' });
  const bobsTop = await makeComment(db, { essay: ESSAY, authorId: bob.id, body: 'bob starts a thread' });
  const adasReply = await makeComment(db, { essay: ESSAY, authorId: ada.id, body: 'ADA-REPLY-SECRET', parentId: bobsTop });

  db.insert(likes).values([
    { commentId: bobsTop, userId: ada.id, createdAt: 1 },
    { commentId: bobsTop, userId: cy.id, createdAt: 2 },
    { commentId: answered, userId: bob.id, createdAt: 3 },
  ]).run();
  db.update(comments).set({ likeCount: 2 }).where(eq(comments.id, bobsTop)).run();
  db.update(comments).set({ likeCount: 1 }).where(eq(comments.id, answered)).run();
  db.insert(flags).values({ commentId: bobsReply, userId: ada.id, reason: 'abuse', note: 'ADA-FLAG-NOTE', createdAt: 4 }).run();
  db.insert(pollVotes).values({ poll: 'trust', question: 'q1', choice: 'ADA-CHOICE', userId: ada.id, createdAt: 5 }).run();
  db.insert(moderationLog).values([
    { adminId: ada.id, adminName: ada.username, action: 'hide', targetType: 'comment', targetId: String(bobsReply), createdAt: 6 },
    { adminId: bob.id, adminName: 'bob_b', action: 'ban', targetType: 'user', targetId: ada.id, note: 'ADA-BAN-NOTE', createdAt: 7 },
    { adminId: bob.id, adminName: 'bob_b', action: 'hide', targetType: 'comment', targetId: String(lonely), note: 'ADA-HIDE-NOTE', createdAt: 8 },
  ]).run();
  const appeal = db.insert(appeals).values({ userId: ada.id, commentId: lonely, message: 'ADA-APPEAL-SECRET', createdAt: 9 }).returning({ id: appeals.id }).get().id;
  db.insert(moderationLog)
    .values({ adminId: bob.id, adminName: 'bob_b', action: 'answer-appeal', targetType: 'appeal', targetId: String(appeal), note: 'ADA-APPEAL-ANSWER', createdAt: 9 })
    .run();
  await ctx.lucia.createSession(ada.id, { createdAt: 8, lastUsedAt: 8, device: 'Firefox on Linux' });
  await signIn(ctx, { username: 'Ada_Unique', password: 'a-wrong-password' }, CLIENT);

  return { ctx, db, ada, bob, cy, ids: { answered, bobsReply, lonely, bobsTop, adasReply, appeal } };
}

/** Every row of every table in the database, as text. */
function dumpEverything(db: ReturnType<typeof testAuthContext>['db']): string {
  const tables = db.$client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[];
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'sessions', 'comments', 'likes', 'flags', 'poll_votes', 'auth_attempts', 'moderation_log']));
  return tables.map((t) => `${t.name}: ${JSON.stringify(db.$client.prepare(`select * from "${t.name}"`).all())}`).join('\n');
}

describe('deleting an account', () => {
  it('shows everything first: the data page lists all of it', async () => {
    const { db, ada } = await seed();
    const data = (await accountData(db, ada.id))!;
    expect(data.account).toMatchObject({ username: 'Ada_Unique', displayName: 'Countess Lovelace', role: 'admin' });
    expect(data.comments.map((c) => c.bodySource).sort()).toEqual(['ADA-ANSWERED-SECRET', 'ADA-LONELY-SECRET', 'ADA-REPLY-SECRET']);
    expect(data.likes).toHaveLength(1);
    expect(data.flags).toMatchObject([{ note: 'ADA-FLAG-NOTE', reason: 'abuse' }]);
    expect(data.pollVotes).toMatchObject([{ choice: 'ADA-CHOICE' }]);
    expect(data.sessions).toHaveLength(1);
    expect(data.moderationActions).toMatchObject([{ action: 'hide' }]);
    expect(data.appeals).toMatchObject([{ message: 'ADA-APPEAL-SECRET' }]);
  });

  it('needs the password: a wrong one is refused with 403 and nothing changes', async () => {
    const { ctx, db, ada } = await seed();
    const before = dumpEverything(db);
    expect(await deleteAccountWithPassword(ctx, readerFor(db, ada.id), 'not-the-password')).toMatchObject({ ok: false, code: 'forbidden' });
    // Only the limiter's count of the failed attempt differs.
    const strip = (dump: string) => dump.split('\n').filter((l) => !l.startsWith('auth_attempts')).join('\n');
    expect(strip(dumpEverything(db))).toBe(strip(before));
  });

  it('leaves nothing personal in any table, keeps threads readable, and releases the username', async () => {
    const { ctx, db, ada, bob, ids } = await seed();
    const hash = db.select().from(users).where(eq(users.id, ada.id)).get()!.passwordHash;
    expect(await deleteAccountWithPassword(ctx, readerFor(db, ada.id), PASSWORD)).toEqual({ ok: true });

    const everything = dumpEverything(db);
    for (const personal of [ada.id, 'Ada_Unique', 'ada_unique', 'Countess', 'ADA-', hash, throttleKey(ctx.secret, 'username', 'ada_unique')]) {
      expect(everything).not.toContain(personal);
    }

    const rows = new Map(db.select().from(comments).all().map((c) => [c.id, c]));
    expect(rows.get(ids.answered)).toMatchObject({ status: 'deleted', authorId: null, bodySource: '', bodyHtml: '', likeCount: 0 });
    expect(rows.get(ids.bobsReply)).toMatchObject({ parentId: ids.answered, authorId: bob.id, bodySource: 'bob replies to ada' });
    expect(rows.has(ids.lonely)).toBe(false);
    expect(rows.has(ids.adasReply)).toBe(false);
    // Ada's like no longer counts; Cy's still does.
    expect(rows.get(ids.bobsTop)).toMatchObject({ likeCount: 1 });
    expect(db.select().from(likes).all()).toMatchObject([{ commentId: ids.bobsTop }]);
    expect(db.select().from(flags).all()).toEqual([]);
    expect(db.select().from(pollVotes).all()).toEqual([]);
    expect(db.select().from(moderationLog).all().map((m) => [m.adminName, m.action, m.targetId, m.note])).toEqual([
      ['[deleted admin]', 'hide', String(ids.bobsReply), null],
      ['bob_b', 'ban', '[deleted user]', null],
      ['bob_b', 'hide', String(ids.lonely), null],
      ['bob_b', 'answer-appeal', String(ids.appeal), null],
    ]);

    const again = await signUp(ctx, { username: 'ada_unique', password: PASSWORD, confirm: PASSWORD, displayName: '' }, CLIENT);
    expect(again.ok).toBe(true);
  });

  it('is all or nothing', async () => {
    const { db, ada } = await seed();
    const before = dumpEverything(db);
    // A trigger that fails the last step stands in for any failure part-way through.
    db.$client.exec(`create trigger refuse before delete on users begin select raise(abort, 'refused'); end;`);
    await expect(deleteAccount(db, ada.id)).rejects.toThrow(/refused/);
    expect(dumpEverything(db)).toBe(before);
  });
});

// Roles and bans. Refusals (banning an admin or yourself, demoting the last admin) are asked of
// account-rules.ts inside the same IMMEDIATE transaction as the change, so two admins cannot race
// past them; a refusal is thrown, rolling the transaction back.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { applyCommentAction } from './comment-moderation.ts';
import { authorId, writeLog, type LogAuthor, type Tx } from './moderation-log.ts';
import { comments, users } from '../schema.ts';
import { lookAlikeTaken, storedSkeleton } from '../accounts/users.ts';
import {
  banHideNote,
  banRefusal,
  checkBan,
  newAdminRefusal,
  noSuchAccount,
  roleRefusal,
  unbanRefusal,
  unbanRestoreNote,
  type BanRequest,
  type Role,
} from '../../src/features/moderation/account-rules.ts';

function findUser(tx: Tx | Db, where: { id: string } | { username: string }) {
  const condition = 'id' in where ? eq(users.id, where.id) : eq(users.usernameKey, where.username.toLowerCase());
  const user = tx.select({ id: users.id, username: users.username, role: users.role, bannedAt: users.bannedAt }).from(users).where(condition).get();
  if (!user) throw noSuchAccount('id' in where ? undefined : where.username);
  return user;
}

function adminCount(tx: Tx): number {
  return tx.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.role, 'admin')).get()!.n;
}

export async function countAdmins(db: Db): Promise<number> {
  return db.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.role, 'admin')).get()!.n;
}

export async function listAdmins(db: Db) {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, createdAt: users.createdAt, bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.role, 'admin'))
    .orderBy(asc(users.usernameKey))
    .all();
}

/** Promotes or demotes by username; the last admin cannot be demoted, a banned account not promoted. */
export function setRole(db: Db, author: LogAuthor, username: string, role: Role, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const user = findUser(tx, { username });
      const refused = roleRefusal(user, role, adminCount(tx));
      if (refused) throw refused;
      // An admin never waits for moderation, so a promoted account is trusted from now on.
      tx.update(users).set(role === 'admin' ? { role, trustedAt: now } : { role }).where(eq(users.id, user.id)).run();
      writeLog(tx, author, { action: role === 'admin' ? 'promote' : 'demote', targetType: 'user', targetId: user.id, note: user.username }, now);
    },
    { behavior: 'immediate' },
  );
}

/** Bans the account (optionally hiding every comment of theirs readers could see); answers how many were hidden. */
export function banUser(db: Db, author: LogAuthor, userId: string, request: BanRequest = {}, now = Date.now()): { username: string; hidden: number } {
  const checked = checkBan(request);
  if (!checked.ok) throw checked;
  const { reason, note } = checked;
  return db.transaction(
    (tx) => {
      const user = findUser(tx, { id: userId });
      const refused = banRefusal(user, authorId(author));
      if (refused) throw refused;
      tx.update(users).set({ bannedAt: now }).where(eq(users.id, user.id)).run();
      writeLog(tx, author, { action: 'ban', targetType: 'user', targetId: user.id, reason, note: note ?? user.username }, now);
      if (!checked.hideComments) return { username: user.username, hidden: 0 };
      const shown = and(eq(comments.authorId, user.id), inArray(comments.status, ['published', 'pending']));
      const hidden = tx.select({ id: comments.id, status: comments.status }).from(comments).where(shown).all();
      tx.update(comments).set({ status: 'hidden', moderationReason: reason, moderationNote: note }).where(shown).run();
      // One entry per comment, so the audit log and the public removal counts see each of them;
      // the note says which were held, so an unban restores only what readers could see before.
      for (const c of hidden) {
        writeLog(tx, author, { action: 'hide', targetType: 'comment', targetId: c.id, reason, note: banHideNote(user.username, c.status === 'pending') }, now);
      }
      return { username: user.username, hidden: hidden.length };
    },
    { behavior: 'immediate' },
  );
}

/**
 * The comments the user's ban took out of readers' view and left alone since: still hidden, text
 * kept, and the last word on each in the log is the hide the ban wrote (at the ban's own time, on
 * a comment readers could see). One a moderator restored, hid again or deleted for good after the
 * ban is not among them, nor one that was held for review when the ban came.
 */
function hiddenWithBanIn(tx: Tx | Db, user: { id: string; username: string; bannedAt: number }): number[] {
  return tx
    .all<{ id: number }>(
      sql`select c.id from comments c
          where c.author_id = ${user.id} and c.status = 'hidden' and c.body_html != ''
            and (select l.action || ' ' || l.created_at || ' ' || coalesce(l.note, '') from moderation_log l
                 where l.target_type = 'comment' and l.target_id = cast(c.id as text)
                 order by l.created_at desc, l.id desc limit 1) = ${`hide ${user.bannedAt} ${banHideNote(user.username, false)}`}`,
    )
    .map((r) => r.id);
}

/** How many comments an unban of this user could restore (none when the user is not banned). */
export async function countHiddenWithBan(db: Db, userId: string): Promise<number> {
  const user = db.select({ id: users.id, username: users.username, bannedAt: users.bannedAt }).from(users).where(eq(users.id, userId)).get();
  return user?.bannedAt ? hiddenWithBanIn(db, { ...user, bannedAt: user.bannedAt }).length : 0;
}

/**
 * Lifts the ban. With `restoreComments`, the comments hidden with it (and left alone since) are
 * published again, each logged as a restore; otherwise they stay hidden until a moderator acts.
 */
export function unbanUser(db: Db, author: LogAuthor, userId: string, options: { restoreComments?: boolean } = {}, now = Date.now()): { username: string; restored: number } {
  return db.transaction(
    (tx) => {
      const user = findUser(tx, { id: userId });
      const refused = unbanRefusal(user);
      if (refused) throw refused;
      const restore = options.restoreComments ? hiddenWithBanIn(tx, { ...user, bannedAt: user.bannedAt! }) : [];
      tx.update(users).set({ bannedAt: null }).where(eq(users.id, user.id)).run();
      writeLog(tx, author, { action: 'unban', targetType: 'user', targetId: user.id, note: user.username }, now);
      for (const id of restore) applyCommentAction(tx, author, id, 'restore', null, unbanRestoreNote(user.username), now);
      return { username: user.username, restored: restore.length };
    },
    { behavior: 'immediate' },
  );
}

/** Creates an admin account (the command line's `create`), logged like a promotion. */
export function createAdmin(db: Db, author: LogAuthor, input: { id: string; username: string; passwordHash: string }, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const key = input.username.toLowerCase();
      const exactly = !!tx.select({ id: users.id }).from(users).where(eq(users.usernameKey, key)).get();
      const refused = newAdminRefusal(input.username, { exactly, lookAlike: !exactly && lookAlikeTaken(tx, input.username) });
      if (refused) throw refused;
      tx.insert(users)
        .values({
          id: input.id,
          username: input.username,
          usernameKey: key,
          usernameSkeleton: storedSkeleton(input.username),
          passwordHash: input.passwordHash,
          role: 'admin',
          trustedAt: now,
          createdAt: now,
        })
        .run();
      writeLog(tx, author, { action: 'create-admin', targetType: 'user', targetId: input.id, note: input.username }, now);
    },
    { behavior: 'immediate' },
  );
}

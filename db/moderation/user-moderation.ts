// Roles and bans. Refusals (banning an admin or yourself, demoting the last admin) are checked
// inside the same IMMEDIATE transaction as the change, so two admins cannot race past them.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { applyCommentAction } from './comment-moderation.ts';
import { ModerationError } from './moderation-errors.ts';
import { writeLog, type Actor, type Tx } from './moderation-log.ts';
import { comments, users, type ModerationReason } from '../schema.ts';
import { lookAlikeTaken, storedSkeleton } from '../accounts/users.ts';
import { isReason, MAX_NOTE_LENGTH } from '../../src/features/moderation/reasons.ts';

type Role = 'reader' | 'admin';

function findUser(tx: Tx | Db, where: { id: string } | { username: string }) {
  const condition = 'id' in where ? eq(users.id, where.id) : eq(users.usernameKey, where.username.toLowerCase());
  const user = tx.select({ id: users.id, username: users.username, role: users.role, bannedAt: users.bannedAt }).from(users).where(condition).get();
  if (!user) {
    const name = 'id' in where ? 'That account' : `"${where.username}"`;
    throw new ModerationError('user-not-found', `${name} does not exist (any more).`);
  }
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
export async function setRole(db: Db, actor: Actor, username: string, role: Role, now = Date.now()): Promise<void> {
  db.transaction(
    (tx) => {
      const user = findUser(tx, { username });
      if (user.role === role) throw new ModerationError('already-that-role', `${user.username} is already ${role === 'admin' ? 'an admin' : 'a reader'}.`);
      if (role === 'admin' && user.bannedAt) throw new ModerationError('banned', `${user.username} is banned: unban them before promoting.`);
      if (role === 'reader' && adminCount(tx) <= 1) {
        throw new ModerationError('last-admin', `${user.username} is the last admin: promote someone else first, or the site has no moderator.`);
      }
      // An admin never waits for moderation, so a promoted account is trusted from now on.
      tx.update(users).set(role === 'admin' ? { role, trustedAt: now } : { role }).where(eq(users.id, user.id)).run();
      writeLog(tx, actor, { action: role === 'admin' ? 'promote' : 'demote', targetType: 'user', targetId: user.id, note: user.username }, now);
    },
    { behavior: 'immediate' },
  );
}

export interface BanOptions {
  /** Hide every published or held comment of theirs, with this reason. */
  hideComments?: boolean;
  reason?: string | null;
  note?: string | null;
}

export async function banUser(db: Db, actor: Actor, userId: string, options: BanOptions = {}, now = Date.now()): Promise<{ hidden: number }> {
  let reason: ModerationReason | null = null;
  if (options.reason) {
    if (!isReason(options.reason)) throw new ModerationError('bad-input', 'Choose a reason: spam, abuse, off-topic or other.');
    reason = options.reason;
  }
  if (options.hideComments && !reason) throw new ModerationError('bad-input', 'Choose a reason to show on the comments you hide.');
  const note = options.note?.trim() || null;
  if (note && note.length > MAX_NOTE_LENGTH) throw new ModerationError('bad-input', `The note can be at most ${MAX_NOTE_LENGTH} characters.`);

  return db.transaction(
    (tx) => {
      const user = findUser(tx, { id: userId });
      if (user.id === actor.id) throw new ModerationError('ban-self', 'You cannot ban yourself.');
      if (user.role === 'admin') throw new ModerationError('ban-admin', `${user.username} is an admin: demote them before banning.`);
      if (user.bannedAt) throw new ModerationError('already-banned', `${user.username} is already banned.`);
      tx.update(users).set({ bannedAt: now }).where(eq(users.id, user.id)).run();
      writeLog(tx, actor, { action: 'ban', targetType: 'user', targetId: user.id, reason, note: note ?? user.username }, now);
      if (!options.hideComments) return { hidden: 0 };
      const shown = and(eq(comments.authorId, user.id), inArray(comments.status, ['published', 'pending']));
      const hidden = tx.select({ id: comments.id, status: comments.status }).from(comments).where(shown).all();
      tx.update(comments).set({ status: 'hidden', moderationReason: reason, moderationNote: note }).where(shown).run();
      // One entry per comment, so the audit log and the public removal counts see each of them;
      // the note says which were held, so an unban restores only what readers could see before.
      for (const c of hidden) {
        writeLog(tx, actor, { action: 'hide', targetType: 'comment', targetId: c.id, reason, note: banHideNote(user.username, c.status === 'pending') }, now);
      }
      return { hidden: hidden.length };
    },
    { behavior: 'immediate' },
  );
}

const banHideNote = (username: string, wasHeld: boolean) => `with the ban of ${username}${wasHeld ? ', while held for review' : ''}`;

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
export async function unbanUser(db: Db, actor: Actor, userId: string, options: { restoreComments?: boolean } = {}, now = Date.now()): Promise<{ restored: number }> {
  return db.transaction(
    (tx) => {
      const user = findUser(tx, { id: userId });
      if (!user.bannedAt) throw new ModerationError('not-banned', `${user.username} is not banned.`);
      const restore = options.restoreComments ? hiddenWithBanIn(tx, { ...user, bannedAt: user.bannedAt }) : [];
      tx.update(users).set({ bannedAt: null }).where(eq(users.id, user.id)).run();
      writeLog(tx, actor, { action: 'unban', targetType: 'user', targetId: user.id, note: user.username }, now);
      for (const id of restore) applyCommentAction(tx, actor, id, 'restore', null, `with the unban of ${user.username}`, now);
      return { restored: restore.length };
    },
    { behavior: 'immediate' },
  );
}

/** Creates an admin account (the command line's `create`), logged like a promotion. */
export async function createAdmin(
  db: Db,
  actor: Actor,
  input: { id: string; username: string; passwordHash: string },
  now = Date.now(),
): Promise<void> {
  db.transaction(
    (tx) => {
      const key = input.username.toLowerCase();
      if (tx.select({ id: users.id }).from(users).where(eq(users.usernameKey, key)).get()) {
        throw new ModerationError('bad-input', `The username "${input.username}" is taken: use \`promote ${input.username}\` to make that account an admin.`);
      }
      if (lookAlikeTaken(tx, input.username)) {
        throw new ModerationError('bad-input', `The username "${input.username}" looks too much like the name of another account: choose another.`);
      }
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
      writeLog(tx, actor, { action: 'create-admin', targetType: 'user', targetId: input.id, note: input.username }, now);
    },
    { behavior: 'immediate' },
  );
}

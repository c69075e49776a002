// A reader's own data: everything stored about them (for /account and the JSON export),
// changing the password, and erasing the account.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { retractComments } from '../discussion/comment-retraction.ts';
import { listSessions } from './sessions.ts';
import { visitsOf } from '../discussion/visits.ts';
import { ACCOUNT_COLUMNS } from './users.ts';
import { appeals, authAttempts, commentAnchors, comments, correctionLinks, flags, likes, moderationLog, pollVotes, sessions, users } from '../schema.ts';

export async function accountData(db: Db, userId: string) {
  const user = db
    .select({ ...ACCOUNT_COLUMNS, repliesSeenAt: users.repliesSeenAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return undefined;
  return {
    account: user,
    // Session ids are the secrets in the cookies: the caller shows a handle derived from them.
    sessions: await listSessions(db, userId),
    comments: db
      .select({
        id: comments.id,
        essay: comments.essay,
        parentId: comments.parentId,
        status: comments.status,
        moderationReason: comments.moderationReason,
        bodySource: comments.bodySource,
        likeCount: comments.likeCount,
        createdAt: comments.createdAt,
        editedAt: comments.editedAt,
        // A passage comment's anchor: the words quoted, the anchor as made (or as a moderator re-attached it), where it stands now.
        passage: {
          quote: commentAnchors.quote,
          block: commentAnchors.blockId,
          exact: commentAnchors.exact,
          prefix: commentAnchors.prefix,
          suffix: commentAnchors.suffix,
          essayVersion: commentAnchors.version,
          status: commentAnchors.status,
          locatedBlock: commentAnchors.locatedBlock,
        },
      })
      .from(comments)
      .leftJoin(commentAnchors, eq(commentAnchors.commentId, comments.id))
      .where(eq(comments.authorId, userId))
      .orderBy(desc(comments.createdAt), desc(comments.id))
      .all(),
    likes: db
      .select({ commentId: likes.commentId, essay: comments.essay, createdAt: likes.createdAt })
      .from(likes)
      .innerJoin(comments, eq(comments.id, likes.commentId))
      .where(eq(likes.userId, userId))
      .orderBy(desc(likes.createdAt))
      .all(),
    flags: db
      .select({
        commentId: flags.commentId,
        essay: comments.essay,
        reason: flags.reason,
        note: flags.note,
        createdAt: flags.createdAt,
        resolvedAt: flags.resolvedAt,
      })
      .from(flags)
      .innerJoin(comments, eq(comments.id, flags.commentId))
      .where(eq(flags.userId, userId))
      .orderBy(desc(flags.createdAt))
      .all(),
    pollVotes: db
      .select({ poll: pollVotes.poll, question: pollVotes.question, choice: pollVotes.choice, createdAt: pollVotes.createdAt })
      .from(pollVotes)
      .where(eq(pollVotes.userId, userId))
      .orderBy(asc(pollVotes.poll), asc(pollVotes.question))
      .all(),
    appeals: db
      .select({ commentId: appeals.commentId, message: appeals.message, createdAt: appeals.createdAt, answeredAt: appeals.answeredAt, answer: appeals.answer })
      .from(appeals)
      .where(eq(appeals.userId, userId))
      .orderBy(desc(appeals.createdAt))
      .all(),
    // Which of their comments a moderator linked to the correction it led to.
    correctionLinks: db
      .select({ commentId: correctionLinks.commentId, essay: comments.essay, correction: correctionLinks.correctionId, createdAt: correctionLinks.createdAt })
      .from(correctionLinks)
      .innerJoin(comments, eq(comments.id, correctionLinks.commentId))
      .where(eq(comments.authorId, userId))
      .orderBy(desc(correctionLinks.createdAt))
      .all(),
    // When they last read each essay's discussion: what "new since your last visit" is measured from.
    discussionVisits: visitsOf(db, userId),
    // For admins: the moderation actions they took are part of what is kept about them.
    moderationActions: db
      .select({
        action: moderationLog.action,
        targetType: moderationLog.targetType,
        targetId: moderationLog.targetId,
        reason: moderationLog.reason,
        note: moderationLog.note,
        createdAt: moderationLog.createdAt,
      })
      .from(moderationLog)
      .where(eq(moderationLog.adminId, userId))
      .orderBy(desc(moderationLog.createdAt))
      .all(),
  };
}

export type AccountData = NonNullable<Awaited<ReturnType<typeof accountData>>>;

/**
 * The new hash replaces the old one and every session of the account ends, the one making the
 * change too (its browser gets a fresh one: src/features/accounts/service.ts), in one step.
 */
export async function replacePasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
  });
}

export const DELETED_ADMIN_NAME = '[deleted admin]';
export const DELETED_USER_TARGET = '[deleted user]';

/**
 * Erases an account in one transaction: sessions, likes (with the like counts they fed), flags,
 * poll votes and pending sign-in attempts go; comments follow retractComments(); traces in the
 * moderation log are made anonymous; the user row goes, which releases the username.
 */
export async function deleteAccount(db: Db, userId: string, throttleKeys: string[] = []): Promise<boolean> {
  // Immediate: it reads before it writes, and a deferred transaction cannot wait for another process's write (SQLITE_BUSY).
  return db.transaction((tx) => {
    const exists = tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
    if (!exists) return false;
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();

    const liked = tx.select({ commentId: likes.commentId }).from(likes).where(eq(likes.userId, userId)).all();
    tx.delete(likes).where(eq(likes.userId, userId)).run();
    if (liked.length) {
      const ids = liked.map((l) => l.commentId);
      tx.update(comments)
        .set({ likeCount: sql`(select count(*) from likes where likes.comment_id = comments.id)` })
        .where(inArray(comments.id, ids))
        .run();
    }
    tx.delete(flags).where(eq(flags.userId, userId)).run();
    tx.delete(pollVotes).where(eq(pollVotes.userId, userId)).run();
    if (throttleKeys.length) tx.delete(authAttempts).where(inArray(authAttempts.key, throttleKeys)).run();

    const own = tx.select({ id: comments.id }).from(comments).where(eq(comments.authorId, userId)).all().map((c) => c.id);
    retractComments(tx, own);

    // The log keeps what was done, but not who it was done by or to, nor notes about them.
    tx.update(moderationLog).set({ adminId: null, adminName: DELETED_ADMIN_NAME }).where(eq(moderationLog.adminId, userId)).run();
    tx.update(moderationLog)
      .set({ targetId: DELETED_USER_TARGET, note: null })
      .where(and(eq(moderationLog.targetType, 'user'), eq(moderationLog.targetId, userId)))
      .run();
    // Appeals go with the user row (cascade); the answers to them in the log go now.
    const appealed = tx.select({ id: appeals.id }).from(appeals).where(eq(appeals.userId, userId)).all().map((a) => String(a.id));
    if (appealed.length) {
      tx.update(moderationLog).set({ note: null }).where(and(eq(moderationLog.targetType, 'appeal'), inArray(moderationLog.targetId, appealed))).run();
    }
    if (own.length) {
      tx.update(moderationLog)
        .set({ note: null })
        .where(and(eq(moderationLog.targetType, 'comment'), inArray(moderationLog.targetId, own.map(String))))
        .run();
    }
    tx.delete(users).where(eq(users.id, userId)).run();
    return true;
  }, { behavior: 'immediate' });
}

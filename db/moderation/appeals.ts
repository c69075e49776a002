// Appeals: a reader asks for a second look at a held or removed comment of theirs, or at their ban.
// Open to banned readers (that is who most needs it); answered by a moderator, who can then restore
// or unban with the usual actions. The answer is shown to the reader and written to the audit log.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { ModerationError } from './moderation-errors.ts';
import { writeLog, type Actor } from './moderation-log.ts';
import { appeals, comments, users } from '../schema.ts';

export const APPEAL_MIN = 10;
export const APPEAL_MAX = 1000;
export const ANSWER_MAX = 1000;
/** Open appeals one reader may have at once: enough for real cases, too few to flood the queue. */
export const OPEN_APPEALS_PER_READER = 3;

export type Appeal = typeof appeals.$inferSelect;

export async function submitAppeal(db: Db, input: { userId: string; commentId: number | null; message: string }, now = Date.now()): Promise<number> {
  const message = input.message.trim();
  if (message.length < APPEAL_MIN) throw new ModerationError('bad-input', `Say in a sentence or two why moderators should look again (at least ${APPEAL_MIN} characters).`);
  if (message.length > APPEAL_MAX) throw new ModerationError('bad-input', `An appeal can be at most ${APPEAL_MAX} characters (this one has ${message.length}).`);
  return db.transaction(
    (tx) => {
      if (input.commentId !== null) {
        const comment = tx.select({ authorId: comments.authorId, status: comments.status }).from(comments).where(eq(comments.id, input.commentId)).get();
        if (!comment || comment.authorId !== input.userId) throw new ModerationError('comment-not-found', 'You can appeal only about a comment of your own.');
        if (comment.status === 'published' || comment.status === 'deleted') {
          throw new ModerationError('bad-input', `Comment #${input.commentId} is ${comment.status === 'published' ? 'shown to everyone' : 'deleted by you'}: there is nothing to appeal.`);
        }
      } else {
        const user = tx.select({ bannedAt: users.bannedAt }).from(users).where(eq(users.id, input.userId)).get();
        if (!user?.bannedAt) throw new ModerationError('bad-input', 'Choose the comment you are appealing about.');
      }
      const open = tx.select({ n: sql<number>`count(*)` }).from(appeals).where(and(eq(appeals.userId, input.userId), isNull(appeals.answeredAt))).get()!.n;
      if (open >= OPEN_APPEALS_PER_READER) {
        throw new ModerationError('bad-input', `You have ${open} appeals waiting for an answer; please wait for one before sending another.`);
      }
      return tx.insert(appeals).values({ userId: input.userId, commentId: input.commentId, message, createdAt: now }).returning({ id: appeals.id }).get().id;
    },
    { behavior: 'immediate' },
  );
}

export async function appealsOf(db: Db, userId: string): Promise<Appeal[]> {
  return db.select().from(appeals).where(eq(appeals.userId, userId)).orderBy(desc(appeals.createdAt), desc(appeals.id)).all();
}

export async function openAppeals(db: Db, limit = 100): Promise<Appeal[]> {
  return db.select().from(appeals).where(isNull(appeals.answeredAt)).orderBy(asc(appeals.createdAt), asc(appeals.id)).limit(limit).all();
}

export async function countOpenAppeals(db: Db): Promise<number> {
  return db.select({ n: sql<number>`count(*)` }).from(appeals).where(isNull(appeals.answeredAt)).get()!.n;
}

export async function answerAppeal(db: Db, actor: Actor, id: number, answer: string, now = Date.now()): Promise<void> {
  const text = answer.trim();
  if (!text) throw new ModerationError('bad-input', 'Write the answer the reader will see.');
  if (text.length > ANSWER_MAX) throw new ModerationError('bad-input', `An answer can be at most ${ANSWER_MAX} characters.`);
  db.transaction(
    (tx) => {
      const appeal = tx.select({ answeredAt: appeals.answeredAt, userId: appeals.userId }).from(appeals).where(eq(appeals.id, id)).get();
      if (!appeal) throw new ModerationError('bad-input', `There is no appeal #${id}.`);
      if (appeal.answeredAt) throw new ModerationError('bad-input', `Appeal #${id} has already been answered.`);
      tx.update(appeals).set({ answeredAt: now, answeredBy: actor.name, answer: text }).where(eq(appeals.id, id)).run();
      writeLog(tx, actor, { action: 'answer-appeal', targetType: 'appeal', targetId: id, note: text }, now);
    },
    { behavior: 'immediate' },
  );
}

/** A reader's comments that an appeal can be about: held, hidden or marked as spam (text still there). */
export async function appealableComments(db: Db, userId: string) {
  return db
    .select({ id: comments.id, essay: comments.essay, status: comments.status, reason: comments.moderationReason, bodySource: comments.bodySource, createdAt: comments.createdAt })
    .from(comments)
    .where(and(eq(comments.authorId, userId), sql`${comments.status} in ('pending', 'hidden', 'spam')`, sql`${comments.bodyHtml} <> ''`))
    .orderBy(desc(comments.createdAt))
    .limit(50)
    .all();
}

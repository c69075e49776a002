// Appeals: a reader asks for a second look at a held or removed comment of theirs, or at their ban.
// Open to banned readers (that is who most needs it); answered by a moderator, who can then restore
// or unban with the usual actions. The answer is shown to the reader and written to the audit log.
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { authorColumns, writeLog, type LogAuthor } from './moderation-log.ts';
import { appeals, comments, users } from '../schema.ts';
import { answerRefusal, appealRefusal, APPEALABLE_STATUSES, checkAnswer, checkAppealMessage } from '../../src/features/moderation/account-rules.ts';

export type Appeal = typeof appeals.$inferSelect;

/** Records an appeal about a comment of the reader's (or, commentId null, their ban); a refusal is thrown. */
export function submitAppeal(db: Db, input: { userId: string; commentId: number | null; message: string }, now = Date.now()): number {
  const checked = checkAppealMessage(input.message);
  if (!checked.ok) throw checked;
  return db.transaction(
    (tx) => {
      const { commentId } = input;
      const about =
        commentId === null
          ? { commentId, bannedAt: tx.select({ bannedAt: users.bannedAt }).from(users).where(eq(users.id, input.userId)).get()?.bannedAt ?? null }
          : { commentId, comment: tx.select({ authorId: comments.authorId, status: comments.status }).from(comments).where(eq(comments.id, commentId)).get() };
      const open = tx.select({ n: sql<number>`count(*)` }).from(appeals).where(and(eq(appeals.userId, input.userId), isNull(appeals.answeredAt))).get()!.n;
      const refused = appealRefusal(input.userId, about, open);
      if (refused) throw refused;
      return tx.insert(appeals).values({ userId: input.userId, commentId, message: checked.message, createdAt: now }).returning({ id: appeals.id }).get().id;
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

export function answerAppeal(db: Db, author: LogAuthor, id: number, answer: string, now = Date.now()): void {
  const checked = checkAnswer(answer);
  if (!checked.ok) throw checked;
  db.transaction(
    (tx) => {
      const appeal = tx.select({ answeredAt: appeals.answeredAt }).from(appeals).where(eq(appeals.id, id)).get();
      const refused = answerRefusal(id, appeal);
      if (refused) throw refused;
      tx.update(appeals).set({ answeredAt: now, answeredBy: authorColumns(author).adminName, answer: checked.answer }).where(eq(appeals.id, id)).run();
      writeLog(tx, author, { action: 'answer-appeal', targetType: 'appeal', targetId: id, note: checked.answer }, now);
    },
    { behavior: 'immediate' },
  );
}

/** A reader's comments that an appeal can be about: held, hidden or marked as spam (text still there). */
export async function appealableComments(db: Db, userId: string) {
  return db
    .select({ id: comments.id, essay: comments.essay, status: comments.status, reason: comments.moderationReason, bodySource: comments.bodySource, createdAt: comments.createdAt })
    .from(comments)
    .where(and(eq(comments.authorId, userId), inArray(comments.status, [...APPEALABLE_STATUSES]), ne(comments.bodyHtml, '')))
    .orderBy(desc(comments.createdAt))
    .limit(50)
    .all();
}

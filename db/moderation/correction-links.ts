// Links from a correction of an essay to the reader's comment that led to it. A moderator makes and
// removes them, each in one IMMEDIATE transaction that reads the comment and the link, asks the
// rules (src/features/moderation/correction-rules.ts), and writes the change with its audit-log
// entry (the correction's id as its note). The link goes with the comment: its row cascades, and
// the code that turns a comment into a placeholder deletes it in the same transaction.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { comments, correctionLinks, users, type CommentStatus } from '../schema.ts';
import { linkRefusal, notLinked, type CorrectionRef } from '../../src/features/moderation/correction-rules.ts';
import { statusesFor } from '../../src/features/discussion/rules.ts';
import { writeLog, type LogAuthor } from './moderation-log.ts';

/** Links comment #commentId to the correction, logged as 'link-correction'. Throws the rules' refusal. */
export function linkCorrection(db: Db, author: LogAuthor, commentId: number, correction: CorrectionRef, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const comment = tx
        .select({ essay: comments.essay, status: comments.status, bodyHtml: comments.bodyHtml })
        .from(comments)
        .where(eq(comments.id, commentId))
        .get();
      const linked = tx.select({ commentId: correctionLinks.commentId }).from(correctionLinks).where(eq(correctionLinks.correctionId, correction.id)).get();
      const refused = linkRefusal(commentId, comment, correction, linked?.commentId ?? null);
      if (refused) throw refused;
      const linkedBy = typeof author === 'string' ? null : (author.account?.id ?? null);
      tx.insert(correctionLinks).values({ correctionId: correction.id, commentId, linkedBy, createdAt: now }).run();
      writeLog(tx, author, { action: 'link-correction', targetType: 'comment', targetId: commentId, note: correction.id }, now);
    },
    { behavior: 'immediate' },
  );
}

/** Removes the link between comment #commentId and the correction, logged as 'unlink-correction'. */
export function unlinkCorrection(db: Db, author: LogAuthor, commentId: number, correctionId: string, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const gone = tx
        .delete(correctionLinks)
        .where(and(eq(correctionLinks.correctionId, correctionId), eq(correctionLinks.commentId, commentId)))
        .run().changes;
      if (gone === 0) throw notLinked(commentId, correctionId);
      writeLog(tx, author, { action: 'unlink-correction', targetType: 'comment', targetId: commentId, note: correctionId }, now);
    },
    { behavior: 'immediate' },
  );
}

export interface CorrectionLinkRow {
  correctionId: string;
  commentId: number;
  /** The linking moderator's username, or null once that account is gone. */
  linkedByName: string | null;
  createdAt: number;
}

/** The corrections one comment is linked to, oldest link first (the comment's admin page). */
export async function linksOfComment(db: Db, commentId: number): Promise<CorrectionLinkRow[]> {
  return db
    .select({ correctionId: correctionLinks.correctionId, commentId: correctionLinks.commentId, linkedByName: users.username, createdAt: correctionLinks.createdAt })
    .from(correctionLinks)
    .leftJoin(users, eq(users.id, correctionLinks.linkedBy))
    .where(eq(correctionLinks.commentId, commentId))
    .orderBy(asc(correctionLinks.createdAt), asc(correctionLinks.correctionId))
    .all();
}

/** A linked comment as the pages that name it need it: where it is and who may read it. */
export interface LinkedComment {
  correctionId: string;
  commentId: number;
  essay: string;
  status: CommentStatus;
  authorId: string | null;
  createdAt: number;
}

const linkedColumns = {
  correctionId: correctionLinks.correctionId,
  commentId: correctionLinks.commentId,
  essay: comments.essay,
  status: comments.status,
  authorId: comments.authorId,
  createdAt: correctionLinks.createdAt,
};

/** Every link, with its comment (the site-wide corrections log; the page decides which it may show). */
export async function allLinkedComments(db: Db): Promise<LinkedComment[]> {
  return db.select(linkedColumns).from(correctionLinks).innerJoin(comments, eq(comments.id, correctionLinks.commentId)).all();
}

// What the author of a comment may read of it: the same audience as the thread (held comments
// too; hidden and deleted ones not), so "Replies to you" and its count never name a comment the
// author could not open.
const AUTHOR_READS = [...statusesFor('everyone'), ...statusesFor('author and moderators')];

/** Links to the reader's own comments, newest first ("Replies to you"). */
export async function linksToAuthor(db: Db, userId: string, limit = 100): Promise<LinkedComment[]> {
  return db
    .select(linkedColumns)
    .from(correctionLinks)
    .innerJoin(comments, eq(comments.id, correctionLinks.commentId))
    .where(and(eq(comments.authorId, userId), inArray(comments.status, AUTHOR_READS)))
    .orderBy(sql`${correctionLinks.createdAt} desc`, asc(correctionLinks.correctionId))
    .limit(limit)
    .all();
}

/** How many of those links were made since the reader last looked at "Replies to you". */
export async function countUnreadLinks(db: Db, userId: string): Promise<number> {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(correctionLinks)
    .innerJoin(comments, eq(comments.id, correctionLinks.commentId))
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(users.id, userId), inArray(comments.status, AUTHOR_READS), sql`${correctionLinks.createdAt} > ${users.repliesSeenAt}`))
    .get();
  return row?.n ?? 0;
}

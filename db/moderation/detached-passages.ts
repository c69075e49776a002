// Detached passage comments: comments whose passage re-anchoring could not find in the essay as it
// stands ("on an earlier version of this passage"). Moderators list them, re-attach one to a block
// of the essay as built now, or leave it detached (marked reviewed). Each change is one IMMEDIATE
// transaction that reads the anchor, asks the rule, and writes the change with its audit-log entry.
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { NewAnchor } from '../../src/features/passages/anchoring.ts';
import { reviewRefusal } from '../../src/features/moderation/passage-review-rules.ts';
import type { Db } from '../client.ts';
import { commentAnchors } from '../schema.ts';
import { writeLog, type LogAuthor } from './moderation-log.ts';

export interface DetachedRow {
  commentId: number;
  essay: string;
  quote: string;
  /** The block the anchor was made in (or last re-attached to). */
  blockId: string;
  reviewedAt: number | null;
}

/** Detached passage comments, oldest first: those no moderator has looked at, or those left detached. */
export async function detachedAnchors(db: Db, reviewed: boolean): Promise<DetachedRow[]> {
  return db
    .select({ commentId: commentAnchors.commentId, essay: commentAnchors.essay, quote: commentAnchors.quote, blockId: commentAnchors.blockId, reviewedAt: commentAnchors.reviewedAt })
    .from(commentAnchors)
    .where(and(eq(commentAnchors.status, 'detached'), reviewed ? isNotNull(commentAnchors.reviewedAt) : isNull(commentAnchors.reviewedAt)))
    .orderBy(asc(commentAnchors.commentId))
    .all();
}

function detachedRow(tx: Pick<Db, 'select'>, commentId: number) {
  return tx.select({ status: commentAnchors.status, essay: commentAnchors.essay }).from(commentAnchors).where(eq(commentAnchors.commentId, commentId)).get();
}

/**
 * Re-attaches a detached comment to the anchor a moderator chose (checked against the essay as built
 * by the service): re-anchoring looks for that anchor from now on; the comment's quote stays the
 * reader's. Logged as 'reattach-passage' with the block as its note. Throws the rule's refusal.
 */
export function reattachPassage(db: Db, author: LogAuthor, commentId: number, essay: string, anchored: NewAnchor, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const refused = reviewRefusal(commentId, detachedRow(tx, commentId), essay);
      if (refused) throw refused;
      const { anchor } = anchored;
      tx.update(commentAnchors)
        .set({
          blockId: anchor.block,
          exact: anchor.exact,
          prefix: anchor.prefix,
          suffix: anchor.suffix,
          version: anchor.version,
          locatedBlock: anchor.block,
          locatedStart: anchored.start,
          locatedEnd: anchored.end,
          locatedVersion: anchor.version,
          status: 'exact',
          reviewedAt: now,
        })
        .where(eq(commentAnchors.commentId, commentId))
        .run();
      writeLog(tx, author, { action: 'reattach-passage', targetType: 'comment', targetId: commentId, note: anchor.block }, now);
    },
    { behavior: 'immediate' },
  );
}

/** Leaves a detached comment as it is, "on an earlier version of this passage", marked reviewed; logged as 'leave-detached'. */
export function leaveDetached(db: Db, author: LogAuthor, commentId: number, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const row = detachedRow(tx, commentId);
      const refused = reviewRefusal(commentId, row, row?.essay ?? '');
      if (refused) throw refused;
      tx.update(commentAnchors).set({ reviewedAt: now }).where(eq(commentAnchors.commentId, commentId)).run();
      writeLog(tx, author, { action: 'leave-detached', targetType: 'comment', targetId: commentId }, now);
    },
    { behavior: 'immediate' },
  );
}

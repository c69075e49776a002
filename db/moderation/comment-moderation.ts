// What a moderator does to comments: approve, hide with a reason, mark as spam, restore, delete for good.
// Each request runs in one IMMEDIATE transaction (the write lock first, then the reads), so two admins
// acting on one comment at once are serialised: each sees the other's result, each writes its log entry.
// The rules (src/features/moderation/rules.ts) decide; a refusal they give is thrown, rolling back.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { writeLog, type LogAuthor, type Tx } from './moderation-log.ts';
import { commentAnchors, comments, correctionLinks, flags, users, type ModerationReason } from '../schema.ts';
import { ACTION_EFFECTS, checkCommentAction, commentActionRefusal, type CommentAction } from '../../src/features/moderation/rules.ts';

export interface ActionOptions {
  reason?: ModerationReason | null;
  note?: string | null;
}

/** Applies one action to each comment, all or nothing: one missing comment and nothing changes. Answers how many. */
export function moderateComments(db: Db, author: LogAuthor, ids: readonly number[], action: CommentAction, options: ActionOptions = {}, now = Date.now()): number {
  const checked = checkCommentAction({ ids, action, ...options });
  if (!checked.ok) throw checked;
  return db.transaction(
    (tx) => {
      for (const id of checked.ids) applyCommentAction(tx, author, id, action, checked.reason, checked.note, now);
      return checked.ids.length;
    },
    { behavior: 'immediate' },
  );
}

/** One action on one comment inside the caller's transaction, logged. */
export function applyCommentAction(tx: Tx, author: LogAuthor, id: number, action: CommentAction, reason: ModerationReason | null, note: string | null, now: number): void {
  const comment = tx
    .select({ id: comments.id, status: comments.status, authorId: comments.authorId, bodyHtml: comments.bodyHtml, reason: comments.moderationReason })
    .from(comments)
    .where(eq(comments.id, id))
    .get();
  const refused = commentActionRefusal(id, comment, action);
  if (refused) throw refused;
  const effect = ACTION_EFFECTS[action];
  if (effect.status === null) purge(tx, id, comment!.reason);
  else tx.update(comments).set({ status: effect.status, moderationReason: reason, moderationNote: reason ? note : null }).where(eq(comments.id, id)).run();
  if (effect.settlesFlags) tx.update(flags).set({ resolvedAt: now }).where(and(eq(flags.commentId, id), isNull(flags.resolvedAt))).run();
  if (effect.trustsAuthor && comment!.authorId) {
    tx.update(users).set({ trustedAt: now }).where(and(eq(users.id, comment!.authorId), isNull(users.trustedAt))).run();
  }
  writeLog(tx, author, { action, targetType: 'comment', targetId: id, reason, note }, now);
}

/**
 * Deletes the row; a comment with replies keeps an empty placeholder row so its thread still reads.
 * Either way its link to a correction and its quoted passage go (the row's by cascade), the correction and the log stay.
 */
function purge(tx: Tx, id: number, reason: ModerationReason | null): void {
  const replies = tx.select({ n: sql<number>`count(*)` }).from(comments).where(eq(comments.parentId, id)).get()!.n;
  if (replies > 0) {
    tx.update(comments)
      .set({ status: 'hidden', bodySource: '', bodyHtml: '', moderationReason: reason ?? 'other', moderationNote: null })
      .where(eq(comments.id, id))
      .run();
    tx.delete(flags).where(eq(flags.commentId, id)).run();
    tx.delete(correctionLinks).where(eq(correctionLinks.commentId, id)).run();
    // The passage it quoted was the reader's input as much as its text.
    tx.delete(commentAnchors).where(eq(commentAnchors.commentId, id)).run();
  } else {
    tx.delete(comments).where(eq(comments.id, id)).run();
  }
}

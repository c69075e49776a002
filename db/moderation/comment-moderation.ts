// What a moderator does to comments: approve, hide with a reason, mark as spam, restore, delete for good.
// Each request runs in one IMMEDIATE transaction (the write lock first, then the reads), so two admins
// acting on one comment at once are serialised: each sees the other's result, each writes its log entry.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { ModerationError } from './moderation-errors.ts';
import { writeLog, type Actor, type Tx } from './moderation-log.ts';
import { comments, flags, users, type ModerationReason } from '../schema.ts';
import { isReason, MAX_NOTE_LENGTH } from '../../src/features/moderation/reasons.ts';

export const COMMENT_ACTIONS = ['approve', 'hide', 'spam', 'restore', 'purge'] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];

export const COMMENT_ACTION_LABELS: Record<CommentAction, string> = {
  approve: 'Approve',
  hide: 'Hide',
  spam: 'Mark as spam',
  restore: 'Restore',
  purge: 'Delete for good',
};

export function isCommentAction(value: unknown): value is CommentAction {
  return typeof value === 'string' && (COMMENT_ACTIONS as readonly string[]).includes(value);
}

export interface ActionOptions {
  reason?: string | null;
  note?: string | null;
}

export const MAX_BULK = 200;

function checkedNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw new ModerationError('bad-input', `The note can be at most ${MAX_NOTE_LENGTH} characters (it has ${trimmed.length}).`);
  }
  return trimmed || null;
}

function resolveFlags(tx: Tx, commentId: number, now: number): void {
  tx.update(flags).set({ resolvedAt: now }).where(and(eq(flags.commentId, commentId), isNull(flags.resolvedAt))).run();
}

/** Applies one action to each comment, all or nothing: one missing comment and nothing changes. */
export async function moderateComments(
  db: Db,
  actor: Actor,
  ids: readonly number[],
  action: CommentAction,
  options: ActionOptions = {},
  now = Date.now(),
): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new ModerationError('bad-input', 'Select at least one comment.');
  if (unique.length > MAX_BULK) throw new ModerationError('bad-input', `At most ${MAX_BULK} comments at once.`);
  const note = checkedNote(options.note);
  let reason: ModerationReason | null = null;
  if (action === 'hide') {
    if (!isReason(options.reason)) throw new ModerationError('bad-input', 'Choose a reason for hiding: spam, abuse, off-topic or other.');
    reason = options.reason;
  }
  if (action === 'spam') reason = 'spam';

  return db.transaction(
    (tx) => {
      for (const id of unique) applyCommentAction(tx, actor, id, action, reason, note, now);
      return unique.length;
    },
    { behavior: 'immediate' },
  );
}

/** One action on one comment inside the caller's transaction, logged. */
export function applyCommentAction(tx: Tx, actor: Actor, id: number, action: CommentAction, reason: ModerationReason | null, note: string | null, now: number): void {
  const comment = tx
    .select({ id: comments.id, status: comments.status, authorId: comments.authorId, bodyHtml: comments.bodyHtml, reason: comments.moderationReason })
    .from(comments)
    .where(eq(comments.id, id))
    .get();
  if (!comment) throw new ModerationError('comment-not-found', `There is no comment #${id}: it may have been deleted for good.`);
  if (comment.status === 'deleted' && action !== 'purge') {
    throw new ModerationError('comment-deleted-by-author', `Comment #${id} was deleted by its author; it can only be deleted for good.`);
  }
  const purged = comment.bodyHtml === '';
  if (purged && (action === 'approve' || action === 'restore')) {
    throw new ModerationError('comment-purged', `Comment #${id} was deleted for good; its text is gone and cannot be restored.`);
  }

  switch (action) {
    case 'approve':
    case 'restore':
      tx.update(comments).set({ status: 'published', moderationReason: null, moderationNote: null }).where(eq(comments.id, id)).run();
      resolveFlags(tx, id, now);
      // An approved comment vouches for its author: the first-comment hold no longer applies to them.
      if (action === 'approve' && comment.authorId) {
        tx.update(users).set({ trustedAt: now }).where(and(eq(users.id, comment.authorId), isNull(users.trustedAt))).run();
      }
      break;
    case 'hide':
    case 'spam':
      tx.update(comments)
        .set({ status: action === 'hide' ? 'hidden' : 'spam', moderationReason: reason, moderationNote: note })
        .where(eq(comments.id, id))
        .run();
      resolveFlags(tx, id, now);
      break;
    case 'purge':
      purge(tx, id, comment.reason);
      break;
  }
  writeLog(tx, actor, { action, targetType: 'comment', targetId: id, reason, note }, now);
}

/** Deletes the row; a comment with replies keeps an empty placeholder row so its thread still reads. */
function purge(tx: Tx, id: number, reason: ModerationReason | null): void {
  const replies = tx.select({ n: sql<number>`count(*)` }).from(comments).where(eq(comments.parentId, id)).get()!.n;
  if (replies > 0) {
    tx.update(comments)
      .set({ status: 'hidden', bodySource: '', bodyHtml: '', moderationReason: reason ?? 'other', moderationNote: null })
      .where(eq(comments.id, id))
      .run();
    tx.delete(flags).where(eq(flags.commentId, id)).run();
  } else {
    tx.delete(comments).where(eq(comments.id, id)).run();
  }
}


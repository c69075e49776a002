// Readers flag comments. One flag per reader per comment (the primary key); when enough readers in
// good standing have open flags on a published comment, it is held (pending) for a moderator. The
// rules (src/features/moderation/rules.ts) decide who counts and when; this reads and writes.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { AUTOMATIC, writeLog, type Tx } from './moderation-log.ts';
import { comments, flags, users, type ModerationReason } from '../schema.ts';
import { alreadyFlagged, flagHideNotes, flagRefusal, flagsHide, flagTally } from '../../src/features/moderation/rules.ts';

export interface FlagInput {
  commentId: number;
  userId: string;
  reason: ModerationReason;
  /** Checked by the caller (at most MAX_NOTE_LENGTH). */
  note?: string | null;
}

export interface FlagResult {
  /** Open flags on the comment that count, this one included. */
  openFlags: number;
  /** True when this flag was the one that took the comment out of view. */
  hidden: boolean;
}

/** Records the flag and, when the rules say so, holds the comment for review; a refusal is thrown. */
export function flagComment(db: Db, input: FlagInput, now = Date.now()): FlagResult {
  return db.transaction(
    (tx) => {
      const flagger = tx.select({ id: users.id, bannedAt: users.bannedAt }).from(users).where(eq(users.id, input.userId)).get();
      const comment = tx
        .select({ status: comments.status, authorId: comments.authorId, authorRole: users.role })
        .from(comments)
        .leftJoin(users, eq(users.id, comments.authorId))
        .where(eq(comments.id, input.commentId))
        .get();
      const refused = flagRefusal(flagger, comment);
      if (refused) throw refused;
      const inserted = tx
        .insert(flags)
        .values({ commentId: input.commentId, userId: input.userId, reason: input.reason, note: input.note?.trim() || null, createdAt: now })
        .onConflictDoNothing()
        .returning({ at: flags.createdAt })
        .get();
      if (!inserted) throw alreadyFlagged();

      const open = flagTally(openFlagsWithFlaggers(tx, input.commentId), now);
      const hidden = flagsHide(comment!.authorRole, open.count);
      if (hidden) {
        const notes = flagHideNotes(open.count);
        tx.update(comments).set({ status: 'pending', moderationReason: open.topReason, moderationNote: notes.comment }).where(eq(comments.id, input.commentId)).run();
        writeLog(tx, AUTOMATIC, { action: 'auto-hide', targetType: 'comment', targetId: input.commentId, reason: open.topReason, note: notes.log }, now);
      }
      return { openFlags: open.count, hidden };
    },
    { behavior: 'immediate' },
  );
}

/** A comment's open flags with what the rules need to know of each flagger's standing. */
function openFlagsWithFlaggers(tx: Tx, commentId: number) {
  return tx
    .select({ reason: flags.reason, flagger: { role: users.role, trustedAt: users.trustedAt, createdAt: users.createdAt, bannedAt: users.bannedAt } })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.userId))
    .where(and(eq(flags.commentId, commentId), isNull(flags.resolvedAt)))
    .all();
}

export interface OpenFlag {
  reason: ModerationReason;
  note: string | null;
  createdAt: number;
}

/** A comment's open flags, for the queue: reasons and notes, not who flagged (no retaliation). */
export async function openFlags(db: Db, commentId: number): Promise<OpenFlag[]> {
  return db
    .select({ reason: flags.reason, note: flags.note, createdAt: flags.createdAt })
    .from(flags)
    .where(and(eq(flags.commentId, commentId), isNull(flags.resolvedAt)))
    .orderBy(flags.createdAt)
    .all();
}

/** Open flags of many comments at once, keyed by comment id. */
export async function openFlagsByComment(db: Db, commentIds: readonly number[]): Promise<Map<number, OpenFlag[]>> {
  const byComment = new Map<number, OpenFlag[]>();
  if (commentIds.length === 0) return byComment;
  const rows = db
    .select({ commentId: flags.commentId, reason: flags.reason, note: flags.note, createdAt: flags.createdAt })
    .from(flags)
    .where(and(inArray(flags.commentId, [...commentIds]), isNull(flags.resolvedAt)))
    .orderBy(flags.createdAt)
    .all();
  for (const { commentId, ...flag } of rows) byComment.set(commentId, [...(byComment.get(commentId) ?? []), flag]);
  return byComment;
}

/** The comment a flag form is about: shown to the reader so they know what they are flagging. */
export async function commentForFlagging(db: Db, commentId: number) {
  return db
    .select({
      id: comments.id,
      essay: comments.essay,
      status: comments.status,
      authorId: comments.authorId,
      bodyHtml: comments.bodyHtml,
      authorName: sql<string | null>`coalesce(${users.displayName}, ${users.username})`,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(eq(comments.id, commentId))
    .get();
}

// Asked on every signed-in view of a discussion, so prepared once.
const flaggedByReader = perConnection((client) =>
  client.prepare('select f.comment_id from flags f join comments c on c.id = f.comment_id where f.user_id = ? and c.essay = ?').pluck(),
);

/** The comments of one essay this reader has flagged: the island shows "Flagged" instead of the form. */
export async function flaggedIn(db: Db, essay: string, userId: string): Promise<Set<number>> {
  return new Set(flaggedByReader(db).all(userId, essay) as number[]);
}

/** Whether this reader has flagged the comment already (the island shows "flagged" instead of the form). */
export async function hasFlagged(db: Db, commentId: number, userId: string): Promise<boolean> {
  return !!db.select({ at: flags.createdAt }).from(flags).where(and(eq(flags.commentId, commentId), eq(flags.userId, userId))).get();
}

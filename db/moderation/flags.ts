// Readers flag comments. One flag per reader per comment (the primary key); when FLAG_THRESHOLD
// distinct readers have open flags on a published comment, it is held (pending) for a moderator.
import { and, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { countAttempt } from '../attempts.ts';
import type { RateLimit } from '../../src/lib/rate-limits.ts';
import { describeWait } from '../../src/lib/describe-wait.ts';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { ModerationError } from './moderation-errors.ts';
import { AUTOMATIC, writeLog, type Tx } from './moderation-log.ts';
import { comments, flags, users, type ModerationReason } from '../schema.ts';
import { isReason, MAX_NOTE_LENGTH } from '../../src/features/moderation/reasons.ts';

export const FLAG_THRESHOLD = 3;
/** Flags hide a comment only when they come from readers in good standing: an approved comment, or an account this old. */
export const FLAG_STANDING_MS = 3 * 24 * 60 * 60 * 1000;
/** Per reader: enough for a bad thread, too few to sweep a discussion. */
export const FLAG_RATE_LIMITS: readonly RateLimit[] = [
  { windowMs: 60 * 60_000, max: 10 },
  { windowMs: 24 * 60 * 60_000, max: 30 },
];

export interface FlagInput {
  commentId: number;
  userId: string;
  reason: string;
  note?: string | null;
}

export interface FlagResult {
  /** Open flags on the comment, this one included. */
  openFlags: number;
  /** True when this flag was the one that took the comment out of view. */
  hidden: boolean;
}

export async function flagComment(db: Db, input: FlagInput, now = Date.now()): Promise<FlagResult> {
  if (!isReason(input.reason)) throw new ModerationError('bad-input', 'Choose why you are flagging it: spam, abuse, off-topic or other.');
  const reason: ModerationReason = input.reason;
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE_LENGTH) {
    throw new ModerationError('bad-input', `The note can be at most ${MAX_NOTE_LENGTH} characters (it has ${note.length}).`);
  }
  // How often, before anything is read: a refused flag is not counted, an accepted one always is.
  const wait = countAttempt(db, `flag:${input.userId}`, FLAG_RATE_LIMITS, now);
  if (wait > 0) throw new ModerationError('rate-limited', `You have sent many flags in a short time. Wait ${describeWait(wait)} and flag again; moderators see the flags you have sent.`);
  return db.transaction(
    (tx) => {
      const reader = tx.select({ bannedAt: users.bannedAt }).from(users).where(eq(users.id, input.userId)).get();
      if (!reader) throw new ModerationError('user-not-found', 'Your account no longer exists.');
      if (reader.bannedAt) throw new ModerationError('banned', 'Your account is banned: you can read, but not flag comments.');
      const comment = tx
        .select({ status: comments.status, authorId: comments.authorId, authorRole: users.role })
        .from(comments)
        .leftJoin(users, eq(users.id, comments.authorId))
        .where(eq(comments.id, input.commentId))
        .get();
      if (!comment || comment.status !== 'published') {
        throw new ModerationError('comment-not-found', 'That comment is not shown any more, so there is nothing to flag.');
      }
      if (comment.authorId === input.userId) throw new ModerationError('own-comment', 'You cannot flag your own comment; you can edit or delete it.');
      const inserted = tx
        .insert(flags)
        .values({ commentId: input.commentId, userId: input.userId, reason, note, createdAt: now })
        .onConflictDoNothing()
        .returning({ at: flags.createdAt })
        .get();
      if (!inserted) throw new ModerationError('already-flagged', 'You have already flagged this comment; a moderator will look at it.');

      const open = openFlagSummary(tx, input.commentId, now - FLAG_STANDING_MS);
      // An admin's comment is never taken down by readers' flags: a moderator reads them instead.
      const hidden = comment.authorRole !== 'admin' && open.count >= FLAG_THRESHOLD;
      if (hidden) {
        tx.update(comments)
          .set({ status: 'pending', moderationReason: open.topReason, moderationNote: `hidden after ${open.count} reader flags` })
          .where(eq(comments.id, input.commentId))
          .run();
        writeLog(tx, AUTOMATIC, { action: 'auto-hide', targetType: 'comment', targetId: input.commentId, reason: open.topReason, note: `${open.count} reader flags` }, now);
      }
      return { openFlags: open.count, hidden };
    },
    { behavior: 'immediate' },
  );
}

/** Open flags that count toward hiding: from readers not banned, trusted or with accounts older than `joinedBefore`. */
function openFlagSummary(tx: Tx, commentId: number, joinedBefore: number) {
  const rows = tx
    .select({ reason: flags.reason, n: sql<number>`count(*)` })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.userId))
    .where(
      and(
        eq(flags.commentId, commentId),
        isNull(flags.resolvedAt),
        isNull(users.bannedAt),
        or(eq(users.role, 'admin'), isNotNull(users.trustedAt), lte(users.createdAt, joinedBefore)),
      ),
    )
    .groupBy(flags.reason)
    .orderBy(desc(sql`count(*)`), flags.reason)
    .all();
  return { count: rows.reduce((sum, r) => sum + r.n, 0), topReason: rows[0]?.reason ?? 'other' };
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

// Per-essay discussion state set by moderators: closed or open (overriding the front matter), and
// the pinned comment. Callers check the essay exists (db/ does not know the content collection).
// The moderation rules decide what may be pinned; a refusal is thrown, rolling back.
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';
import { writeLog, type LogAuthor, type Tx } from '../moderation/moderation-log.ts';
import { comments, discussions } from '../schema.ts';
import { checkNote, nothingPinned, pinRefusal } from '../../src/features/moderation/rules.ts';

export interface DiscussionState {
  /** null: no moderator override, the essay's front matter decides. */
  closed: boolean | null;
  pinnedCommentId: number | null;
}

export async function discussionState(db: Db, essay: string): Promise<DiscussionState> {
  const row = db.select().from(discussions).where(eq(discussions.essay, essay)).get();
  return { closed: row?.closed ?? null, pinnedCommentId: row?.pinnedCommentId ?? null };
}

export interface PinnedComment {
  id: number;
  bodyHtml: string;
  authorName: string | null;
  createdAt: number;
}

// Asked on every view of a discussion, so prepared once.
const pinned = perConnection((client) =>
  client.prepare(
    // A display name with its @username: display names are chosen freely, usernames are unique.
    `select c.id, c.body_html as bodyHtml, case when u.display_name is null then u.username else u.display_name || ' (@' || u.username || ')' end as authorName, c.created_at as createdAt
     from discussions d join comments c on c.id = d.pinned_comment_id left join users u on u.id = c.author_id
     where d.essay = ? and c.status = 'published'`,
  ),
);

/** The essay's pinned comment while it is published (a hidden one is not shown, but stays pinned). */
export async function pinnedComment(db: Db, essay: string): Promise<PinnedComment | null> {
  return (pinned(db).get(essay) as PinnedComment | undefined) ?? null;
}

export async function allDiscussionStates(db: Db): Promise<Map<string, DiscussionState>> {
  return new Map(db.select().from(discussions).all().map((r) => [r.essay, { closed: r.closed, pinnedCommentId: r.pinnedCommentId }]));
}

// Asked on every view and every write of a discussion, so prepared once.
const closedSetting = perConnection((client) => client.prepare('select closed from discussions where essay = ?').pluck());

/**
 * A moderator's open/closed setting for an essay's discussion, or null when none is set. Whether
 * the discussion is closed is the discussion's rule (isDiscussionClosed), given this and the front matter.
 */
export async function discussionClosedOverride(db: Db, essay: string): Promise<boolean | null> {
  const closed = closedSetting(db).get(essay) as number | null | undefined;
  return closed === undefined || closed === null ? null : closed === 1;
}

function upsert(tx: Tx, essay: string, set: Partial<{ closed: boolean; pinnedCommentId: number | null }>, now: number) {
  tx.insert(discussions)
    .values({ essay, closed: null, pinnedCommentId: null, ...set, updatedAt: now })
    .onConflictDoUpdate({ target: discussions.essay, set: { ...set, updatedAt: now } })
    .run();
}

export function setDiscussionClosed(db: Db, author: LogAuthor, essay: string, closed: boolean, note: string | null = null, now = Date.now()): void {
  const checked = checkNote(note);
  if (!checked.ok) throw checked;
  db.transaction(
    (tx) => {
      upsert(tx, essay, { closed }, now);
      writeLog(tx, author, { action: closed ? 'close' : 'reopen', targetType: 'essay', targetId: essay, note: checked.note }, now);
    },
    { behavior: 'immediate' },
  );
}

/** Pins a published top-level comment to the top of its essay's discussion (one pin per essay). */
/** Pins the comment above its essay's discussion; answers the essay. */
export function pinComment(db: Db, author: LogAuthor, commentId: number, now = Date.now()): string {
  return db.transaction(
    (tx) => {
      const comment = tx.select({ essay: comments.essay, status: comments.status, depth: comments.depth }).from(comments).where(eq(comments.id, commentId)).get();
      const refused = pinRefusal(commentId, comment);
      if (refused) throw refused;
      upsert(tx, comment!.essay, { pinnedCommentId: commentId }, now);
      writeLog(tx, author, { action: 'pin', targetType: 'comment', targetId: commentId, note: comment!.essay }, now);
      return comment!.essay;
    },
    { behavior: 'immediate' },
  );
}

export function unpinComment(db: Db, author: LogAuthor, essay: string, now = Date.now()): void {
  db.transaction(
    (tx) => {
      const pinned = tx.select({ id: discussions.pinnedCommentId }).from(discussions).where(eq(discussions.essay, essay)).get()?.id;
      if (!pinned) throw nothingPinned();
      upsert(tx, essay, { pinnedCommentId: null }, now);
      writeLog(tx, author, { action: 'unpin', targetType: 'comment', targetId: pinned, note: essay }, now);
    },
    { behavior: 'immediate' },
  );
}

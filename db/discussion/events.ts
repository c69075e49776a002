// The discussion's change log (discussion_events, written by the triggers of migrations 0005 and
// 0007), as the live streams read it (src/features/discussion/live/): where the log stands, what
// happened after a point, the few columns of the changed comments that deciding who is told needs,
// and who had liked or flagged a comment that comes back.
// Synchronous on purpose: the one watcher's fan-out and a stream's catch-up each run to the end
// without yielding, so neither sees the other half done.
import type { CommentStatus } from '../../src/features/discussion/types.ts';
import type { LiveEventKind } from '../../src/features/discussion/live/event-kinds.ts';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

export interface LiveEventRow {
  seq: number;
  essay: string;
  kind: LiveEventKind;
  commentId: number;
  /** The status before a status change or a removal; null for the rest. */
  fromStatus: CommentStatus | null;
}

/** A changed comment as it is now: what decides who may be told, and what a like count or an edit sends. */
export interface LiveCommentState {
  id: number;
  essay: string;
  status: CommentStatus;
  authorId: string | null;
  rootId: number | null;
  likeCount: number;
  bodyHtml: string;
  editedAt: number | null;
  /** The author's username and display name now (null: a deleted account), for a display name change. */
  authorUsername: string | null;
  authorName: string | null;
}

const EVENT_COLUMNS = 'seq, essay, kind, comment_id as commentId, from_status as fromStatus';

const statements = perConnection((client) => ({
  // The high-water mark: AUTOINCREMENT keeps it in sqlite_sequence even when rows are trimmed.
  newest: client.prepare("select seq from sqlite_sequence where name = 'discussion_events'").pluck(),
  oldest: client.prepare('select min(seq) from discussion_events').pluck(),
  after: client.prepare(`select ${EVENT_COLUMNS} from discussion_events where seq > ? order by seq limit ?`),
  essayBetween: client.prepare(`select ${EVENT_COLUMNS} from discussion_events where essay = ? and seq > ? and seq <= ? order by seq limit ?`),
  comments: client.prepare(
    `select c.id, c.essay, c.status, c.author_id as authorId, c.root_id as rootId, c.like_count as likeCount, c.body_html as bodyHtml,
      c.edited_at as editedAt, u.username as authorUsername, u.display_name as authorName
      from comments c left join users u on u.id = c.author_id where c.id in (select value from json_each(?))`,
  ),
  // Both by the primary keys (comment_id, user_id).
  marks: client.prepare(
    `select user_id as userId, 'liked' as mark from likes where comment_id = @id
      union all select user_id as userId, 'flagged' as mark from flags where comment_id = @id`,
  ),
}));

/** The last event's number (0 before the first). */
export function latestEventSeq(db: Db): number {
  return (statements(db).newest.get() as number | undefined) ?? 0;
}

/** The events still kept: from `oldest` (null when none is) up to `newest`. */
export function eventWindow(db: Db): { oldest: number | null; newest: number } {
  return { oldest: (statements(db).oldest.get() as number | null) ?? null, newest: latestEventSeq(db) };
}

/** Up to `limit` events after `seq`, every essay, in order. */
export function eventsAfter(db: Db, seq: number, limit: number): LiveEventRow[] {
  return statements(db).after.all(seq, limit) as LiveEventRow[];
}

/** One essay's events after `after` up to and including `upTo`, in order, at most `limit`. */
export function essayEventsBetween(db: Db, essay: string, after: number, upTo: number, limit: number): LiveEventRow[] {
  return statements(db).essayBetween.all(essay, after, upTo, limit) as LiveEventRow[];
}

/** The comments still stored among `ids`, by id (a removed one is simply absent). */
export function liveCommentStates(db: Db, ids: readonly number[]): Map<number, LiveCommentState> {
  const rows = statements(db).comments.all(JSON.stringify([...new Set(ids)])) as LiveCommentState[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** A reader's own marks on a comment, as the thread shows them: their like and their flag. */
export interface ReaderMarks {
  liked: boolean;
  flagged: boolean;
}

/** Who has liked or flagged a comment, with their marks: a restored comment comes back as each of them left it. */
export function readerMarks(db: Db, commentId: number): Map<string, ReaderMarks> {
  const marks = new Map<string, ReaderMarks>();
  for (const { userId, mark } of statements(db).marks.all({ id: commentId }) as { userId: string; mark: 'liked' | 'flagged' }[]) {
    const found = marks.get(userId) ?? { liked: false, flagged: false };
    found[mark] = true;
    marks.set(userId, found);
  }
  return marks;
}

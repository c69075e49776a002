// The discussion's change log (discussion_events, written by the triggers of migration 0005), as
// the live streams read it (src/features/discussion/live/): where the log stands, what happened
// after a point, and the few columns of the changed comments that deciding who is told needs.
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
}

const EVENT_COLUMNS = 'seq, essay, kind, comment_id as commentId, from_status as fromStatus';

const statements = perConnection((client) => ({
  // The high-water mark: AUTOINCREMENT keeps it in sqlite_sequence even when rows are trimmed.
  newest: client.prepare("select seq from sqlite_sequence where name = 'discussion_events'").pluck(),
  oldest: client.prepare('select min(seq) from discussion_events').pluck(),
  after: client.prepare(`select ${EVENT_COLUMNS} from discussion_events where seq > ? order by seq limit ?`),
  essayBetween: client.prepare(`select ${EVENT_COLUMNS} from discussion_events where essay = ? and seq > ? and seq <= ? order by seq limit ?`),
  comments: client.prepare(
    `select id, essay, status, author_id as authorId, root_id as rootId, like_count as likeCount, body_html as bodyHtml,
      edited_at as editedAt from comments where id in (select value from json_each(?))`,
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

// Passage comments' anchors (comment_anchors) and the essay version each essay's anchors were last
// found on (passage_versions): storing an anchor with its comment, the margin's counts, one
// comment's anchor, and re-anchoring an essay. Which anchor is valid and where it stands after an
// edit is decided in src/features/passages/anchoring.ts; here only rows go in and out.
import type { NewAnchor, Relocation, StoredAnchor } from '../../src/features/passages/anchoring.ts';
import type { AnchorStatus } from '../../src/features/passages/blocks.ts';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

const statements = perConnection((client) => ({
  insert: client.prepare(
    `insert into comment_anchors (comment_id, essay, quote, block_id, exact, prefix, suffix, version,
       located_block, located_start, located_end, located_version, status)
     values (@commentId, @essay, @quote, @block, @exact, @prefix, @suffix, @version, @block, @start, @end, @version, 'exact')`,
  ),
  // Published comments on attached passages, per block: a range of the (essay, located_block) index,
  // each comment's status read by its primary key. Held, hidden and detached comments are not counted.
  counts: client.prepare(
    `select a.located_block as block, count(*) as n from comment_anchors a join comments c on c.id = a.comment_id
      where a.essay = ? and a.located_block is not null and c.status = 'published' group by a.located_block`,
  ),
  one: client.prepare(
    `select comment_id as commentId, essay, quote, located_block as block, located_start as start, located_end as "end", status
      from comment_anchors where comment_id = ?`,
  ),
  stale: client.prepare(
    `select comment_id as commentId, block_id as blockId, exact, prefix, suffix, version, status
      from comment_anchors where essay = ? and located_version is not ?`,
  ),
  relocate: client.prepare(
    `update comment_anchors set located_block = @block, located_start = @start, located_end = @end, located_version = @version,
       status = @status, reviewed_at = case when @status = 'detached' and status <> 'detached' then null else reviewed_at end
     where comment_id = @commentId`,
  ),
  setVersion: client.prepare(
    `insert into passage_versions (essay, version, reanchored_at) values (?, ?, ?)
      on conflict (essay) do update set version = excluded.version, reanchored_at = excluded.reanchored_at`,
  ),
}));

/** Stores a new comment's anchor, where it stands now (`exact`). Call inside the transaction that inserts the comment. */
export function insertAnchor(db: Db, commentId: number, essay: string, anchored: NewAnchor): void {
  const { anchor } = anchored;
  statements(db).insert.run({
    commentId,
    essay,
    quote: anchored.quote,
    block: anchor.block,
    exact: anchor.exact,
    prefix: anchor.prefix,
    suffix: anchor.suffix,
    version: anchor.version,
    start: anchored.start,
    end: anchored.end,
  });
}

/** Published comments per attached passage of an essay, in one indexed query. */
export function passageCounts(db: Db, essay: string): Map<string, number> {
  const rows = statements(db).counts.all(essay) as { block: string; n: number }[];
  return new Map(rows.map((r) => [r.block, r.n]));
}

export interface CommentAnchor {
  commentId: number;
  essay: string;
  quote: string;
  /** Null when detached. */
  block: string | null;
  start: number | null;
  end: number | null;
  status: AnchorStatus;
}

/** One comment's anchor, if it is a passage comment. */
export function anchorOfComment(db: Db, commentId: number): CommentAnchor | undefined {
  return statements(db).one.get(commentId) as CommentAnchor | undefined;
}

/**
 * Re-anchors an essay on `version`, once. Each anchor says which version it was placed on
 * (`located_version`); when some of the essay's are not on `version`, one IMMEDIATE transaction
 * reads them again, finds each anew (`relocate`, pure), and records the version and when in
 * passage_versions. A second process asking at the same time waits for the lock, then finds none
 * left to place. A reading with nothing to place writes nothing. Answers how many anchors were
 * placed again (null: nothing to do).
 */
export function reanchorEssay(db: Db, input: { essay: string; version: string; now: number }, relocate: (rows: StoredAnchor[]) => Relocation[]): number | null {
  const s = statements(db);
  // Only the anchors tell: an anchor an older server process made during a deploy is placed too.
  if (s.stale.all(input.essay, input.version).length === 0) return null;
  return db.$client
    .transaction(() => {
      const stale = s.stale.all(input.essay, input.version) as StoredAnchor[];
      if (stale.length === 0) return null;
      const moved = relocate(stale);
      for (const r of moved) s.relocate.run({ ...r, version: input.version });
      s.setVersion.run(input.essay, input.version, input.now);
      return moved.length;
    })
    .immediate();
}

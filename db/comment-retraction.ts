// Taking comments back, for an author deleting a comment and for account deletion alike:
// a comment with replies becomes a "[deleted]" placeholder (no body, no author, no likes) so the
// thread still reads; one without replies is removed, and a placeholder parent left without
// replies goes too, up the thread.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { comments, likes } from './schema.ts';

/** A database or a transaction on it: what the sync better-sqlite3 transaction callback receives. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Retraction {
  /** Rows removed outright (the ids given and placeholders left without replies). */
  removed: number[];
  /** Rows kept as "[deleted]" placeholders because replies hang on them. */
  placeholders: number[];
}

const hasReplies = (tx: Tx, id: number) =>
  tx.select({ one: sql<number>`1` }).from(comments).where(eq(comments.parentId, id)).limit(1).get() !== undefined;

/** Call inside a transaction. Deepest first, so a reply taken in the same call frees its parent. */
export function retractComments(tx: Tx, ids: readonly number[]): Retraction {
  const result: Retraction = { removed: [], placeholders: [] };
  if (ids.length === 0) return result;
  const rows = tx
    .select({ id: comments.id, parentId: comments.parentId, depth: comments.depth })
    .from(comments)
    .where(inArray(comments.id, [...ids]))
    .all()
    .sort((a, b) => b.depth - a.depth);
  for (const row of rows) {
    if (hasReplies(tx, row.id)) {
      tx.delete(likes).where(eq(likes.commentId, row.id)).run();
      tx.update(comments)
        .set({ status: 'deleted', bodySource: '', bodyHtml: '', authorId: null, likeCount: 0, editedAt: null, moderationReason: null, moderationNote: null })
        .where(eq(comments.id, row.id))
        .run();
      result.placeholders.push(row.id);
      continue;
    }
    tx.delete(comments).where(eq(comments.id, row.id)).run();
    result.removed.push(row.id);
    let parentId = row.parentId;
    while (parentId !== null) {
      const parent = tx
        .select({ id: comments.id, parentId: comments.parentId })
        .from(comments)
        .where(and(eq(comments.id, parentId), eq(comments.status, 'deleted')))
        .get();
      if (!parent || hasReplies(tx, parent.id)) break;
      tx.delete(comments).where(eq(comments.id, parent.id)).run();
      result.removed.push(parent.id);
      const kept = result.placeholders.indexOf(parent.id);
      if (kept >= 0) result.placeholders.splice(kept, 1);
      parentId = parent.parentId;
    }
  }
  return result;
}

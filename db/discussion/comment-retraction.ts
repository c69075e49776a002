// The one rule for taking comments away, shared by "the author deletes a comment" and
// "a reader deletes their account":
// - a comment that has replies becomes a "[deleted]" placeholder (status 'deleted', no author,
//   empty body, no likes, flags, link to a correction or quoted passage), so the replies under it still read as a thread;
// - a comment without replies is removed, with its likes and flags;
// - removing a reply can leave a placeholder parent with no replies: that goes too, and so on up.
// Synchronous and given a transaction, so callers make it part of one atomic change.
import { count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { commentAnchors, comments, correctionLinks, flags, likes } from '../schema.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const PLACEHOLDER = {
  status: 'deleted',
  authorId: null,
  bodySource: '',
  bodyHtml: '',
  moderationReason: null,
  moderationNote: null,
  likeCount: 0,
  editedAt: null,
} as const;

export interface RetractionResult {
  /** Comments turned into placeholders (and still placeholders at the end). */
  placeholders: number[];
  /** Comments removed, including placeholders left without replies. */
  removed: number[];
}

export function retractComments(tx: Db | Tx, ids: readonly number[]): RetractionResult {
  const removed = new Set<number>();
  const placeholders = new Set<number>();
  if (ids.length === 0) return { placeholders: [], removed: [] };
  // Deepest first: a reader's own reply under their own comment goes before the comment,
  // which then has no replies left and is removed rather than kept as an empty placeholder.
  const targets = tx
    .select({ id: comments.id, depth: comments.depth })
    .from(comments)
    .where(inArray(comments.id, [...new Set(ids)]))
    .all()
    .sort((a, b) => b.depth - a.depth || b.id - a.id);

  for (const { id } of targets) {
    if (replyCount(tx, id) > 0) {
      tx.delete(likes).where(eq(likes.commentId, id)).run();
      tx.delete(flags).where(eq(flags.commentId, id)).run();
      // The correction stays in its essay; only the link to the text that is gone goes.
      tx.delete(correctionLinks).where(eq(correctionLinks.commentId, id)).run();
      // The quote is the reader's too (what they chose to quote): it goes with their text.
      tx.delete(commentAnchors).where(eq(commentAnchors.commentId, id)).run();
      tx.update(comments).set(PLACEHOLDER).where(eq(comments.id, id)).run();
      placeholders.add(id);
    } else {
      for (const gone of removeWithEmptyPlaceholderParents(tx, id)) {
        removed.add(gone);
        placeholders.delete(gone);
      }
    }
  }
  return { placeholders: [...placeholders], removed: [...removed] };
}

function replyCount(tx: Db | Tx, id: number): number {
  return tx.select({ n: count() }).from(comments).where(eq(comments.parentId, id)).get()?.n ?? 0;
}

/** Removes a reply-less comment, then any placeholder ancestors it leaves without replies. */
function removeWithEmptyPlaceholderParents(tx: Db | Tx, id: number): number[] {
  const removed: number[] = [];
  let current: number | null = id;
  while (current !== null) {
    const row: { parentId: number | null } | undefined = tx
      .select({ parentId: comments.parentId })
      .from(comments)
      .where(eq(comments.id, current))
      .get();
    if (!row) break;
    // likes, flags, a link to a correction and a passage's anchor go with it (ON DELETE CASCADE); a pinned comment unpins (SET NULL).
    tx.delete(comments).where(eq(comments.id, current)).run();
    removed.push(current);
    const parentId: number | null = row.parentId;
    if (parentId === null) break;
    const parent = tx.select({ status: comments.status }).from(comments).where(eq(comments.id, parentId)).get();
    current = parent?.status === 'deleted' && replyCount(tx, parentId) === 0 ? parentId : null;
  }
  return removed;
}

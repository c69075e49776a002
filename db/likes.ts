// Likes: one per reader per comment (the primary key says so), set or cleared in a transaction
// that recounts the stored likes, so the count shown never drifts from the rows, however the
// requests interleave.
import { and, count, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { comments, likes } from './schema.ts';

export type LikeOutcome =
  | { ok: true; liked: boolean; likeCount: number }
  | { ok: false; reason: 'missing' | 'not-published' | 'own-comment' };

/** Sets the reader's like on a comment to `liked` (idempotent: a repeated request changes nothing). */
export async function setLike(db: Db, input: { commentId: number; userId: string; liked: boolean; now?: number }): Promise<LikeOutcome> {
  return db.transaction((tx): LikeOutcome => {
    const target = tx.select({ authorId: comments.authorId, status: comments.status }).from(comments).where(eq(comments.id, input.commentId)).get();
    if (!target) return { ok: false, reason: 'missing' };
    if (target.status !== 'published') return { ok: false, reason: 'not-published' };
    if (target.authorId === input.userId) return { ok: false, reason: 'own-comment' };
    if (input.liked) {
      tx.insert(likes).values({ commentId: input.commentId, userId: input.userId, createdAt: input.now ?? Date.now() }).onConflictDoNothing().run();
    } else {
      tx.delete(likes).where(and(eq(likes.commentId, input.commentId), eq(likes.userId, input.userId))).run();
    }
    const likeCount = tx.select({ n: count() }).from(likes).where(eq(likes.commentId, input.commentId)).get()?.n ?? 0;
    tx.update(comments).set({ likeCount }).where(eq(comments.id, input.commentId)).run();
    return { ok: true, liked: input.liked, likeCount };
  });
}

// Likes: one per reader per comment (the primary key says so), set or cleared in a transaction
// that recounts the stored likes, so the count shown never drifts from the rows, however the
// requests interleave. Statements are prepared once per connection: this runs on every click.
import type { Reader } from '../../src/features/accounts/reader.ts';
import { refusalOf, type Outcome } from '../../src/features/refusal.ts';
import { refusal, whyNotLike } from '../../src/features/discussion/rules.ts';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

export type LikeOutcome = Outcome<{ liked: boolean; likeCount: number }>;

const toggles = perConnection((client) => {
  const target = client.prepare('select author_id as authorId, status from comments where id = ?');
  const insert = client.prepare('insert or ignore into likes (comment_id, user_id, created_at) values (?, ?, ?)');
  const remove = client.prepare('delete from likes where comment_id = ? and user_id = ?');
  const recount = client
    .prepare('update comments set like_count = (select count(*) from likes where comment_id = @id) where id = @id returning like_count')
    .pluck();
  return client.transaction((commentId: number, reader: Reader, liked: boolean, now: number) => {
    const row = target.get(commentId) as { authorId: string | null; status: string } | undefined;
    const notThis = whyNotLike(row, reader);
    if (notThis) throw refusal(notThis);
    const userId = reader.account!.id;
    if (liked) insert.run(commentId, userId, now);
    else remove.run(commentId, userId);
    return { ok: true as const, liked, likeCount: recount.get({ id: commentId }) as number };
  });
});

/** Sets the reader's like on a comment to `liked` (idempotent: a repeated request changes nothing), under whyNotLike. */
export async function setLike(db: Db, input: { commentId: number; reader: Reader; liked: boolean; now?: number }): Promise<LikeOutcome> {
  // Immediate: it reads before it writes, and a deferred transaction cannot wait for another process's write (SQLITE_BUSY).
  return refusalOf(() => toggles(db).immediate(input.commentId, input.reader, input.liked, input.now ?? Date.now()));
}

// Asked on every signed-in view of a discussion whose threads are shared (src/features/discussion/page-markup.ts).
const likedByReader = perConnection((client) =>
  client.prepare('select l.comment_id from likes l join comments c on c.id = l.comment_id where l.user_id = ? and c.essay = ?').pluck(),
);

/** The comments of one essay this reader likes. */
export async function likedIn(db: Db, essay: string, userId: string): Promise<Set<number>> {
  return new Set(likedByReader(db).all(userId, essay) as number[]);
}

// The reader's likes by their index alone: joining each to its comment (a wide row) to check the
// essay cost four times as much, and the caller knows which comments it shows.
const likesOfReader = perConnection((client) => client.prepare('select comment_id from likes where user_id = ?').pluck());

/** Which of `commentIds` this reader likes: for a page of threads, whose comments the caller has. */
export async function likedAmong(db: Db, userId: string, commentIds: ReadonlySet<number>): Promise<Set<number>> {
  const liked = new Set<number>();
  for (const id of likesOfReader(db).all(userId) as number[]) if (commentIds.has(id)) liked.add(id);
  return liked;
}

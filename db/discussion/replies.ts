// Replies to a reader: published replies by others to their comments, and which are new to them.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { users } from '../schema.ts';

export interface ReplyRow {
  id: number;
  essay: string;
  parentId: number;
  authorUsername: string | null;
  authorName: string | null;
  bodyHtml: string;
  createdAt: number;
}

/** Published replies by others to the reader's comments, newest first. */
export async function listRepliesTo(db: Db, userId: string, limit = 50): Promise<ReplyRow[]> {
  return db.all<ReplyRow>(sql`select c.id, c.essay, c.parent_id as parentId, u.username as authorUsername,
      u.display_name as authorName, c.body_html as bodyHtml, c.created_at as createdAt
    from comments p join comments c on c.parent_id = p.id
    left join users u on u.id = c.author_id
    where p.author_id = ${userId} and c.status = 'published' and (c.author_id is null or c.author_id <> ${userId})
    order by c.created_at desc, c.id desc limit ${limit}`);
}

/** How many of those replies arrived since the reader last looked. */
export async function countUnreadReplies(db: Db, userId: string): Promise<number> {
  const row = db.get<{ n: number }>(sql`select count(*) as n
    from users me join comments p on p.author_id = me.id join comments c on c.parent_id = p.id
    where me.id = ${userId} and c.status = 'published' and c.created_at > me.replies_seen_at
      and (c.author_id is null or c.author_id <> ${userId})`);
  return row?.n ?? 0;
}

/** Marks the reader's replies seen as of `now`; returns when they had last looked. */
export async function markRepliesSeen(db: Db, userId: string, now: number): Promise<number> {
  const before = db.select({ seen: users.repliesSeenAt }).from(users).where(eq(users.id, userId)).get()?.seen ?? 0;
  db.update(users).set({ repliesSeenAt: now }).where(eq(users.id, userId)).run();
  return before;
}

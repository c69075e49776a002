// Published comments as flat lists: an essay's for exports and checks, the latest for the feeds,
// and the re-rendering of comments stored by an older Markdown renderer.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { comments, users } from '../schema.ts';

const COLUMNS = {
  id: comments.id,
  essay: comments.essay,
  parentId: comments.parentId,
  authorId: comments.authorId,
  authorName: users.displayName,
  authorUsername: users.username,
  bodyHtml: comments.bodyHtml,
  likeCount: comments.likeCount,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
};

export interface CommentRow {
  id: number;
  essay: string;
  parentId: number | null;
  authorId: string | null;
  authorName: string | null;
  authorUsername: string | null;
  bodyHtml: string;
  likeCount: number;
  createdAt: number;
  editedAt: number | null;
}

/** Published comments with their authors, newest or oldest first, of one essay or all. */
function published(db: Db, essay: string | undefined, order: 'oldest' | 'newest') {
  const by = order === 'oldest' ? asc : desc;
  return db
    .select(COLUMNS)
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(essay === undefined ? eq(comments.status, 'published') : and(eq(comments.status, 'published'), eq(comments.essay, essay)))
    .orderBy(by(comments.createdAt), by(comments.id));
}

/** Every published comment of one essay, oldest first, flat: for exports and checks, not pages. */
export async function listPublishedComments(db: Db, essay: string): Promise<CommentRow[]> {
  return published(db, essay, 'oldest').all();
}

export type FeedRow = Pick<CommentRow, 'id' | 'essay' | 'authorUsername' | 'authorName' | 'bodyHtml' | 'createdAt' | 'editedAt'>;

/** The latest published comments, of one essay or all. */
export async function latestComments(db: Db, options: { essay?: string; limit?: number } = {}): Promise<FeedRow[]> {
  return published(db, options.essay, 'newest')
    .limit(options.limit ?? 50)
    .all();
}

/**
 * Re-renders the comments stored by an older renderer (rendererVersion below `version`) from
 * their source, in batches, each batch one transaction. Returns how many changed.
 */
export async function rerenderStaleComments(db: Db, version: number, render: (source: string) => string, batch = 500): Promise<number> {
  const client = db.$client;
  const stale = client.prepare("select id, body_source as source from comments where renderer_version < ? and status <> 'deleted' order by id limit ?");
  const update = client.prepare('update comments set body_html = ?, renderer_version = ? where id = ?');
  let total = 0;
  for (;;) {
    const rows = stale.all(version, batch) as { id: number; source: string }[];
    if (rows.length === 0) return total;
    client.transaction(() => {
      for (const row of rows) update.run(render(row.source), version, row.id);
    })();
    total += rows.length;
  }
}

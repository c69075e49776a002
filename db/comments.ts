// Comments: reading a discussion and writing to it.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { comments, users } from './schema.ts';

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

/** The published comments of one essay, oldest first, with their authors, in one query. */
export async function listPublishedComments(db: Db, essay: string): Promise<CommentRow[]> {
  return db
    .select({
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
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.essay, essay), eq(comments.status, 'published')))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .all();
}

export interface NewComment {
  essay: string;
  authorId: string;
  parentId?: number | null;
  bodySource: string;
  bodyHtml: string;
  rendererVersion: number;
  createdAt?: number;
}

export async function insertComment(db: Db, input: NewComment): Promise<number> {
  return db.transaction((tx) => {
    const parent = input.parentId
      ? tx.select({ rootId: comments.rootId, depth: comments.depth }).from(comments).where(eq(comments.id, input.parentId)).get()
      : undefined;
    const row = tx
      .insert(comments)
      .values({
        essay: input.essay,
        authorId: input.authorId,
        parentId: input.parentId ?? null,
        rootId: parent?.rootId ?? null,
        depth: parent ? parent.depth + 1 : 0,
        bodySource: input.bodySource,
        bodyHtml: input.bodyHtml,
        rendererVersion: input.rendererVersion,
        createdAt: input.createdAt ?? Date.now(),
      })
      .returning({ id: comments.id })
      .get();
    if (!parent) tx.update(comments).set({ rootId: row.id }).where(eq(comments.id, row.id)).run();
    return row.id;
  });
}

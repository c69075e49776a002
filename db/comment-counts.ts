// How many comments a reader can see under an essay: published ones only.
import { and, count, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { comments } from './schema.ts';

export async function countPublishedComments(db: Db, essay: string): Promise<number> {
  const row = db
    .select({ n: count() })
    .from(comments)
    .where(and(eq(comments.essay, essay), eq(comments.status, 'published')))
    .get();
  return row?.n ?? 0;
}

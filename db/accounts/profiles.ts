// The public face of an account: what /u/<username> shows to anyone.
import { and, count, desc, eq } from 'drizzle-orm';
import { usernameKey } from '../../src/features/accounts/rules.ts';
import type { Db } from '../client.ts';
import { comments, users } from '../schema.ts';

export interface PublicProfile {
  id: string;
  username: string;
  displayName: string | null;
  createdAt: number;
  publishedCount: number;
}

export async function findPublicProfile(db: Db, username: string): Promise<PublicProfile | undefined> {
  const user = db
    .select({ id: users.id, username: users.username, displayName: users.displayName, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.usernameKey, usernameKey(username)))
    .get();
  if (!user) return undefined;
  const published = db
    .select({ n: count() })
    .from(comments)
    .where(and(eq(comments.authorId, user.id), eq(comments.status, 'published')))
    .get();
  return { ...user, publishedCount: published?.n ?? 0 };
}

export interface ProfileComment {
  id: number;
  essay: string;
  bodyHtml: string;
  createdAt: number;
  editedAt: number | null;
}

/** Published comments only, newest first: held, hidden and deleted ones never show here. */
export async function listProfileComments(db: Db, userId: string, limit: number, offset: number): Promise<ProfileComment[]> {
  return db
    .select({
      id: comments.id,
      essay: comments.essay,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
    })
    .from(comments)
    .where(and(eq(comments.authorId, userId), eq(comments.status, 'published')))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit)
    .offset(offset)
    .all();
}

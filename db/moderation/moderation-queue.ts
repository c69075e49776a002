// What the dashboard reads: the queue's tabs, each comment in context, and the author's record.
import { aliasedTable, and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { comments, users, type CommentStatus, type ModerationReason } from '../schema.ts';
import { ACCOUNT_COLUMNS } from '../accounts/users.ts';
import { QUEUE_PAGE_SIZE, RECENT_DAYS, type QueueTab } from '../../src/features/moderation/rules.ts';


// Correlated subqueries name the outer table literally: drizzle leaves columns unqualified here.
const openFlagCount = sql<number>`(select count(*) from flags f where f.comment_id = "comments"."id" and f.resolved_at is null)`;

function tabCondition(tab: QueueTab, now: number): SQL | undefined {
  switch (tab) {
    case 'held':
      return eq(comments.status, 'pending');
    case 'flagged':
      return and(sql`${openFlagCount} > 0`, inArray(comments.status, ['published', 'pending']));
    case 'recent':
      return sql`${comments.createdAt} >= ${now - RECENT_DAYS * 86_400_000}`;
    case 'spam':
      return eq(comments.status, 'spam');
  }
}

export async function queueCounts(db: Db, now = Date.now()): Promise<Record<QueueTab, number>> {
  const count = (tab: QueueTab) => db.select({ n: sql<number>`count(*)` }).from(comments).where(tabCondition(tab, now)).get()!.n;
  return { held: count('held'), flagged: count('flagged'), recent: count('recent'), spam: count('spam') };
}

export interface AuthorRecord {
  id: string;
  username: string;
  displayName: string | null;
  role: 'reader' | 'admin';
  createdAt: number;
  bannedAt: number | null;
  trustedAt: number | null;
  comments: number;
  /** Comments of theirs a moderator hid or marked as spam. */
  removals: number;
}

export interface QueueItem {
  id: number;
  essay: string;
  status: CommentStatus;
  bodyHtml: string;
  moderationReason: ModerationReason | null;
  moderationNote: string | null;
  createdAt: number;
  depth: number;
  openFlags: number;
  parent: { id: number; bodyHtml: string; status: CommentStatus; authorName: string | null } | null;
  author: AuthorRecord | null;
}

const parents = aliasedTable(comments, 'parent');
const parentAuthors = aliasedTable(users, 'parent_author');

function selectItems(db: Db) {
  return db
    .select({
      id: comments.id,
      essay: comments.essay,
      status: comments.status,
      bodyHtml: comments.bodyHtml,
      moderationReason: comments.moderationReason,
      moderationNote: comments.moderationNote,
      createdAt: comments.createdAt,
      depth: comments.depth,
      authorId: comments.authorId,
      openFlags: openFlagCount,
      parentId: parents.id,
      parentBody: parents.bodyHtml,
      parentStatus: parents.status,
      parentAuthor: sql<string | null>`coalesce(${parentAuthors.displayName}, ${parentAuthors.username})`,
    })
    .from(comments)
    .leftJoin(parents, eq(parents.id, comments.parentId))
    .leftJoin(parentAuthors, eq(parentAuthors.id, parents.authorId));
}

interface ItemRow extends Omit<QueueItem, 'parent' | 'author'> {
  authorId: string | null;
  parentId: number | null;
  parentBody: string | null;
  parentStatus: CommentStatus | null;
  parentAuthor: string | null;
}

async function withAuthors(db: Db, rows: ItemRow[]): Promise<QueueItem[]> {
  const records = await authorRecords(db, rows.map((r) => r.authorId).filter((id): id is string => !!id));
  return rows.map((r) => ({
    id: r.id,
    essay: r.essay,
    status: r.status,
    bodyHtml: r.bodyHtml,
    moderationReason: r.moderationReason,
    moderationNote: r.moderationNote,
    createdAt: r.createdAt,
    depth: r.depth,
    openFlags: r.openFlags,
    parent: r.parentId ? { id: r.parentId, bodyHtml: r.parentBody ?? '', status: r.parentStatus!, authorName: r.parentAuthor } : null,
    author: r.authorId ? (records.get(r.authorId) ?? null) : null,
  }));
}

export async function queueItems(db: Db, tab: QueueTab, page = 0, now = Date.now()): Promise<QueueItem[]> {
  const order = tab === 'flagged' ? [desc(openFlagCount), desc(comments.createdAt)] : [desc(comments.createdAt), desc(comments.id)];
  const rows = selectItems(db)
    .where(tabCondition(tab, now))
    .orderBy(...order)
    .limit(QUEUE_PAGE_SIZE)
    .offset(page * QUEUE_PAGE_SIZE)
    .all();
  return withAuthors(db, rows);
}

/** Given comments in context, keyed by id (for appeals, which point at one comment each). */
export async function commentItems(db: Db, ids: readonly number[]): Promise<Map<number, QueueItem>> {
  if (ids.length === 0) return new Map();
  const rows = selectItems(db).where(inArray(comments.id, [...ids])).all();
  return new Map((await withAuthors(db, rows)).map((item) => [item.id, item]));
}

/** Every comment of one user, newest first, any status. */
export async function userComments(db: Db, userId: string, limit = 200): Promise<QueueItem[]> {
  const rows = selectItems(db).where(eq(comments.authorId, userId)).orderBy(desc(comments.createdAt), desc(comments.id)).limit(limit).all();
  return withAuthors(db, rows);
}

export async function authorRecords(db: Db, ids: readonly string[]): Promise<Map<string, AuthorRecord>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = db
    .select({
      id: users.id,
      ...ACCOUNT_COLUMNS,
      comments: sql<number>`(select count(*) from comments c where c.author_id = "users"."id")`,
      removals: sql<number>`(select count(*) from comments c where c.author_id = "users"."id" and c.status in ('hidden', 'spam'))`,
    })
    .from(users)
    .where(inArray(users.id, unique))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function authorRecord(db: Db, id: string): Promise<AuthorRecord | null> {
  return (await authorRecords(db, [id])).get(id) ?? null;
}

/** Users whose username or display name contains `query` (case-insensitive), most recent first. */
export async function searchUsers(db: Db, query: string, limit = 50): Promise<AuthorRecord[]> {
  const escaped = `%${query.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const ids = db
    .select({ id: users.id })
    .from(users)
    .where(
      query.trim()
        ? or(sql`${users.usernameKey} like ${escaped} escape '\\'`, sql`lower(${users.displayName}) like ${escaped} escape '\\'`)
        : undefined,
    )
    .orderBy(desc(users.createdAt))
    .limit(limit)
    .all()
    .map((r) => r.id);
  const records = await authorRecords(db, ids);
  return ids.map((id) => records.get(id)!);
}


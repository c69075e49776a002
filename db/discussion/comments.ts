// Comments: reading a discussion a page at a time, and writing to it under its rules.
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import { DUPLICATE_WINDOW_MS, EDIT_WINDOW_MS, PAGE_THREADS } from '../../src/features/discussion/rules.ts';
import type { Sort, ThreadRow } from '../../src/features/discussion/thread.ts';
import type { Db } from '../client.ts';
import { retractComments, type RetractionResult, type Tx } from './comment-retraction.ts';
import { initialStatus } from './comment-status.ts';
import { holdDecisionIn, holdNote } from '../moderation/holds.ts';
import { perConnection } from '../prepared.ts';
import { comments, users } from '../schema.ts';

// ---- reading ---------------------------------------------------------------------------------
// The island's reads run on every page view, so they are prepared once per connection (perConnection).

const ROOT_ORDER: Record<Sort, string> = {
  oldest: 'r.created_at asc, r.id asc',
  newest: 'r.created_at desc, r.id desc',
  liked: 'r.like_count desc, r.created_at asc, r.id asc',
};

/** Top-level comments that take a place on a page: shown, or a placeholder with replies. */
const VISIBLE_ROOT = `r.essay = @essay and r.parent_id is null and (
    r.status in ('published', 'deleted')
    or (r.status = 'pending' and (r.author_id = @viewer or @moderator = 1))
    or (r.status in ('hidden', 'spam', 'pending') and exists (select 1 from comments k where k.parent_id = r.id))
  )`;

const ROW_COLUMNS = `c.id, c.essay, c.parent_id as parentId, c.root_id as rootId, c.depth, c.author_id as authorId,
  u.username as authorUsername, u.display_name as authorName, c.body_html as bodyHtml, c.status,
  c.moderation_reason as moderationReason, c.like_count as likeCount, c.created_at as createdAt,
  c.edited_at as editedAt, (l.user_id is not null) as liked`;

const ROW_JOINS = `left join users u on u.id = c.author_id
  left join likes l on l.comment_id = c.id and l.user_id = @viewer`;

function pageSql(sort: Sort): string {
  return `with page_roots as (
      select r.id from comments r where ${VISIBLE_ROOT} order by ${ROOT_ORDER[sort]} limit @limit offset @offset
    )
    select ${ROW_COLUMNS},
      (select count(*) from (select 1 from comments r where ${VISIBLE_ROOT} limit 1 offset @offset + @limit)) as more
    from page_roots p join comments c on c.root_id = p.id
    ${ROW_JOINS}`;
}

const reads = perConnection((client) => ({
    page: { oldest: client.prepare(pageSql('oldest')), newest: client.prepare(pageSql('newest')), liked: client.prepare(pageSql('liked')) },
    thread: client.prepare(`select ${ROW_COLUMNS} from comments c ${ROW_JOINS} where c.root_id = @root`),
    count: client.prepare("select count(*) from comments where essay = ? and status = 'published'").pluck(),
    comment: client.prepare(
      `select id, essay, parent_id as parentId, root_id as rootId, depth, author_id as authorId, body_source as bodySource,
        status, created_at as createdAt, edited_at as editedAt from comments where id = ?`,
    ),
    held: client.prepare("select exists (select 1 from comments where author_id = ? and essay = ? and status = 'pending')").pluck(),
    closed: client.prepare('select closed from discussions where essay = ?').pluck(),
    rootsBefore: client
      .prepare(`select count(*) from comments r where ${VISIBLE_ROOT} and (r.created_at < @createdAt or (r.created_at = @createdAt and r.id < @id))`)
      .pluck(),
}));

type RawRow = Omit<ThreadRow, 'liked'> & { liked: number };
const toRow = ({ liked, ...rest }: RawRow): ThreadRow => ({ ...rest, liked: liked === 1 });

export interface ThreadPage {
  rows: ThreadRow[];
  hasMore: boolean;
}

/**
 * One page: up to PAGE_THREADS top-level threads with all their replies, the authors and whether
 * the viewer likes each, in ONE query (roots by index on essay/parent/created_at, replies by root_id).
 */
export async function listThreadPage(
  db: Db,
  options: { essay: string; sort: Sort; page: number; viewerId: string | null; moderator?: boolean },
): Promise<ThreadPage> {
  const rows = reads(db).page[options.sort].all({
    essay: options.essay,
    viewer: options.viewerId,
    // Moderators also see held comments, to approve them in place.
    moderator: options.moderator ? 1 : 0,
    limit: PAGE_THREADS,
    offset: (options.page - 1) * PAGE_THREADS,
  }) as (RawRow & { more: number })[];
  return { rows: rows.map(({ more: _more, ...row }) => toRow(row)), hasMore: rows[0]?.more === 1 };
}

/** Every row of one thread (by its top-level comment), for re-rendering it after a change. */
export async function listThread(db: Db, rootId: number, viewerId: string | null): Promise<ThreadRow[]> {
  return (reads(db).thread.all({ root: rootId, viewer: viewerId }) as RawRow[]).map(toRow);
}

/** Whether this reader has a comment held for review under this essay (only they see it, so their threads differ). */
export async function hasHeldComment(db: Db, essay: string, userId: string): Promise<boolean> {
  return reads(db).held.get(userId, essay) === 1;
}

/** Published comments of one essay: the number readers see. */
export async function countComments(db: Db, essay: string): Promise<number> {
  return reads(db).count.get(essay) as number;
}

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

/** Every published comment of one essay, oldest first, flat: for exports and checks, not pages. */
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

/** Published comments per essay, for lists of essays. */
export async function countCommentsByEssay(db: Db): Promise<Map<string, number>> {
  const rows = db
    .select({ essay: comments.essay, n: count() })
    .from(comments)
    .where(eq(comments.status, 'published'))
    .groupBy(comments.essay)
    .all();
  return new Map(rows.map((r) => [r.essay, r.n]));
}

/** A moderator's open/closed setting for an essay's discussion, or null when none is set. */
export async function discussionClosedOverride(db: Db, essay: string): Promise<boolean | null> {
  const closed = reads(db).closed.get(essay) as number | null | undefined;
  return closed === undefined || closed === null ? null : closed === 1;
}

/** A comment as stored: the thread row's own fields, and the source it was written in. */
export type StoredComment = Pick<ThreadRow, 'id' | 'essay' | 'parentId' | 'rootId' | 'depth' | 'authorId' | 'status' | 'createdAt' | 'editedAt'> & {
  bodySource: string;
};

/** One comment by id: every like, edit, delete and redirect asks, so the statement is prepared once. */
export async function findComment(db: Db, id: number): Promise<StoredComment | undefined> {
  return reads(db).comment.get(id) as StoredComment | undefined;
}

/** Which page (oldest first, as permalinks use) holds a comment's thread. */
export async function locateComment(
  db: Db,
  id: number,
  viewerId: string | null,
): Promise<{ essay: string; rootId: number; page: number } | null> {
  const found = await findComment(db, id);
  if (!found || found.rootId === null) return null;
  const root = await findComment(db, found.rootId);
  if (!root) return null;
  const before = reads(db).rootsBefore.get({ essay: root.essay, viewer: viewerId, moderator: 0, createdAt: root.createdAt, id: root.id }) as number;
  return { essay: root.essay, rootId: root.id, page: Math.floor(before / PAGE_THREADS) + 1 };
}

// ---- writing ---------------------------------------------------------------------------------

export interface NewComment {
  essay: string;
  authorId: string;
  parentId?: number | null;
  bodySource: string;
  bodyHtml: string;
  rendererVersion: number;
  createdAt?: number;
  status?: ThreadRow['status'];
}

/** Inserts a row as given, no rules applied: for fixtures, seeding and imports. */
export async function insertComment(db: Db, input: NewComment): Promise<number> {
  return db.transaction((tx) => insertRow(tx, input));
}

function insertRow(tx: Tx, input: NewComment): number {
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
      status: input.status ?? 'published',
      createdAt: input.createdAt ?? Date.now(),
    })
    .returning({ id: comments.id })
    .get();
  if (!parent) tx.update(comments).set({ rootId: row.id }).where(eq(comments.id, row.id)).run();
  return row.id;
}

export type PostOutcome =
  | { ok: true; id: number; duplicate: boolean }
  | { ok: false; reason: 'parent-missing' | 'parent-elsewhere' | 'parent-closed-to-replies' };

const posting = perConnection((client, db) => {
  const duplicate = client
    .prepare(
      `select id from comments where author_id = @author and created_at > @since and essay = @essay
        and parent_id is @parent and body_source = @body limit 1`,
    )
    .pluck();
  const parent = client.prepare('select essay, status, root_id as rootId, depth from comments where id = ?');
  const insert = client
    .prepare(
      `insert into comments (essay, author_id, parent_id, root_id, depth, body_source, body_html, renderer_version, status, moderation_note, created_at)
        values (@essay, @author, @parent, @root, @depth, @source, @html, @version, @status, @note, @now) returning id`,
    )
    .pluck();
  const setRoot = client.prepare('update comments set root_id = id where id = ?');
  type Parent = { essay: string; status: string; rootId: number | null; depth: number };

  return client.transaction((input: NewComment & { createdAt: number }): PostOutcome => {
    const now = input.createdAt;
    const parentId = input.parentId ?? null;
    const same = duplicate.get({ author: input.authorId, since: now - DUPLICATE_WINDOW_MS, essay: input.essay, parent: parentId, body: input.bodySource }) as number | undefined;
    if (same !== undefined) return { ok: true, id: same, duplicate: true };

    const above = parentId === null ? undefined : (parent.get(parentId) as Parent | undefined);
    if (parentId !== null) {
      if (!above || above.status === 'deleted' || above.status === 'hidden' || above.status === 'spam') return { ok: false, reason: 'parent-missing' };
      if (above.essay !== input.essay) return { ok: false, reason: 'parent-elsewhere' };
      if (above.status === 'pending') return { ok: false, reason: 'parent-closed-to-replies' };
    }
    const { status, moderationNote } = initialStatus(db, { authorId: input.authorId, essay: input.essay, bodySource: input.bodySource, now });
    const id = insert.get({
      essay: input.essay,
      author: input.authorId,
      parent: parentId,
      root: above?.rootId ?? null,
      depth: above ? above.depth + 1 : 0,
      source: input.bodySource,
      html: input.bodyHtml,
      version: input.rendererVersion,
      status,
      note: moderationNote,
      now,
    }) as number;
    if (!above) setRoot.run(id);
    return { ok: true, id, duplicate: false };
  });
});

/**
 * Posts a comment under the rules that need the database, atomically: one
 * comment for the same text within DUPLICATE_WINDOW_MS, a parent that exists in the same essay
 * and is shown to others. The status comes from initialStatus().
 */
export async function postComment(db: Db, input: NewComment & { createdAt: number }): Promise<PostOutcome> {
  return posting(db)(input);
}

export type EditOutcome = { ok: true } | { ok: false; reason: 'missing' | 'not-author' | 'window-passed' };

/**
 * The author's edit, within EDIT_WINDOW_MS of posting; marks the comment edited. The new text
 * meets the same hold rules as a new comment: text a fresh post would hold goes back to the queue,
 * and a held comment stays held whatever the edit.
 */
export async function editComment(
  db: Db,
  input: { id: number; authorId: string; bodySource: string; bodyHtml: string; rendererVersion: number; now: number },
): Promise<EditOutcome> {
  return db.transaction((tx): EditOutcome => {
    const row = tx.select({ authorId: comments.authorId, status: comments.status, createdAt: comments.createdAt }).from(comments).where(eq(comments.id, input.id)).get();
    if (!row || (row.status !== 'published' && row.status !== 'pending')) return { ok: false, reason: 'missing' };
    if (row.authorId !== input.authorId) return { ok: false, reason: 'not-author' };
    if (input.now - row.createdAt > EDIT_WINDOW_MS) return { ok: false, reason: 'window-passed' };
    const decision = holdDecisionIn(db, { authorId: input.authorId, bodySource: input.bodySource });
    const held = decision.status === 'pending' ? { status: 'pending' as const, moderationNote: holdNote(decision.reasons) } : {};
    tx.update(comments)
      .set({ bodySource: input.bodySource, bodyHtml: input.bodyHtml, rendererVersion: input.rendererVersion, editedAt: input.now, ...held })
      .where(eq(comments.id, input.id))
      .run();
    return { ok: true };
  });
}

export type DeleteOutcome = ({ ok: true; essay: string; rootId: number } & RetractionResult) | { ok: false; reason: 'missing' | 'not-author' };

/** The author takes a comment back: a placeholder if replies hang on it, else gone. */
export async function deleteOwnComment(db: Db, input: { id: number; authorId: string }): Promise<DeleteOutcome> {
  return db.transaction((tx): DeleteOutcome => {
    const row = tx.select({ authorId: comments.authorId, essay: comments.essay, rootId: comments.rootId, status: comments.status }).from(comments).where(eq(comments.id, input.id)).get();
    if (!row || row.status === 'deleted') return { ok: false, reason: 'missing' };
    if (row.authorId !== input.authorId) return { ok: false, reason: 'not-author' };
    return { ok: true, essay: row.essay, rootId: row.rootId ?? input.id, ...retractComments(tx, [input.id]) };
  });
}

// ---- replies to a reader, and feeds ------------------------------------------------------------

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

export async function markRepliesSeen(db: Db, userId: string, now: number): Promise<number> {
  const before = db.select({ seen: users.repliesSeenAt }).from(users).where(eq(users.id, userId)).get()?.seen ?? 0;
  db.update(users).set({ repliesSeenAt: now }).where(eq(users.id, userId)).run();
  return before;
}

export interface FeedRow {
  id: number;
  essay: string;
  authorUsername: string | null;
  authorName: string | null;
  bodyHtml: string;
  createdAt: number;
  editedAt: number | null;
}

/** The latest published comments, of one essay or all. */
export async function latestComments(db: Db, options: { essay?: string; limit?: number } = {}): Promise<FeedRow[]> {
  return db
    .select({
      id: comments.id,
      essay: comments.essay,
      authorUsername: users.username,
      authorName: users.displayName,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
    })
    .from(comments)
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(options.essay ? and(eq(comments.status, 'published'), eq(comments.essay, options.essay)) : eq(comments.status, 'published'))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(options.limit ?? 50)
    .all();
}



// ---- re-rendering ------------------------------------------------------------------------------

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

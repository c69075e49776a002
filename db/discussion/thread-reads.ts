// Reading a discussion: a page of threads, one thread, one comment, where a comment's page is.
// These run on every view, so their statements are prepared once per connection (perConnection).
// Which comments a reader may see is the discussion's rule (AUDIENCE in its rules): the page
// query is built from it, and the thread built from the rows applies it again per row.
import type { Reader } from '../../src/features/accounts/reader.ts';
import { PAGE_THREADS, statusesFor } from '../../src/features/discussion/rules.ts';
import type { CommentPassage, Sort, ThreadRow } from '../../src/features/discussion/thread.ts';
import type { Db } from '../client.ts';
import { perConnection } from '../prepared.ts';

const ROOT_ORDER: Record<Sort, string> = {
  oldest: 'r.created_at asc, r.id asc',
  newest: 'r.created_at desc, r.id desc',
  liked: 'r.like_count desc, r.created_at asc, r.id asc',
};

const inList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');
// A comment nobody may read still takes its place as a placeholder while replies hang on it; a
// deleted one is kept only while it has replies, so it needs no look at them.
const NOT_FOR_EVERYONE = inList([...statusesFor('author and moderators'), ...statusesFor('nobody')].filter((s) => s !== 'deleted'));

/** Top-level comments that take a place on a page: readable by this reader, or a placeholder with replies. */
const VISIBLE_ROOT = `r.essay = @essay and r.parent_id is null and (
    r.status in (${inList([...statusesFor('everyone'), 'deleted'])})
    or (r.status in (${inList(statusesFor('author and moderators'))}) and (r.author_id = @viewer or @moderator = 1))
    or (r.status in (${NOT_FOR_EVERYONE}) and exists (select 1 from comments k where k.parent_id = r.id))
  )`;
/** The same, on one passage (`@passage`, a block id): the comments anchored there, found by the anchors' index. */
const VISIBLE_ROOT_ON_PASSAGE = `${VISIBLE_ROOT} and r.id in (select a.comment_id from comment_anchors a where a.essay = @essay and a.located_block = @passage)`;

const ROW_COLUMNS = `c.id, c.essay, c.parent_id as parentId, c.root_id as rootId, c.depth, c.author_id as authorId,
  u.username as authorUsername, u.display_name as authorName, c.body_html as bodyHtml, c.status,
  c.moderation_reason as moderationReason, c.like_count as likeCount, c.created_at as createdAt,
  c.edited_at as editedAt, (l.user_id is not null) as liked,
  (select group_concat(k.correction_id, ' ') from correction_links k where k.comment_id = c.id) as corrections,
  pa.quote as passageQuote, pa.located_block as passageBlock, pa.located_start as passageStart, pa.located_end as passageEnd,
  pa.status as passageStatus`;

const ROW_JOINS = `left join users u on u.id = c.author_id
  left join likes l on l.comment_id = c.id and l.user_id = @viewer
  left join comment_anchors pa on pa.comment_id = c.id`;

function pageSql(sort: Sort, visible = VISIBLE_ROOT): string {
  return `with page_roots as (
      select r.id from comments r where ${visible} order by ${ROOT_ORDER[sort]} limit @limit offset @offset
    )
    select ${ROW_COLUMNS},
      (select count(*) from (select 1 from comments r where ${visible} limit 1 offset @offset + @limit)) as more
    from page_roots p join comments c on c.root_id = p.id
    ${ROW_JOINS}`;
}

const pageStatements = (client: Db['$client'], visible: string) => ({
  oldest: client.prepare(pageSql('oldest', visible)),
  newest: client.prepare(pageSql('newest', visible)),
  liked: client.prepare(pageSql('liked', visible)),
});

const reads = perConnection((client) => ({
  page: pageStatements(client, VISIBLE_ROOT),
  thread: client.prepare(`select ${ROW_COLUMNS} from comments c ${ROW_JOINS} where c.root_id = @root`),
  count: client.prepare("select count(*) from comments where essay = ? and status = 'published'").pluck(),
  comment: client.prepare(
    `select id, essay, parent_id as parentId, root_id as rootId, depth, author_id as authorId, body_source as bodySource,
      status, created_at as createdAt, edited_at as editedAt from comments where id = ?`,
  ),
  held: client.prepare("select exists (select 1 from comments where author_id = ? and essay = ? and status = 'pending')").pluck(),
  rootsBefore: client.prepare(ROOTS_BEFORE).pluck(),
}));

/** How many threads this reader sees before one (its page, oldest first): counted in comments_essay_thread, no row read. */
export const ROOTS_BEFORE = `select count(*) from comments r where ${VISIBLE_ROOT} and (r.created_at < @createdAt or (r.created_at = @createdAt and r.id < @id))`;

/** The same reads filtered to one passage ("On this passage"), prepared on first use, as few pages are. */
const passageReads = perConnection((client) => ({
  page: pageStatements(client, VISIBLE_ROOT_ON_PASSAGE),
  rootsBefore: client
    .prepare(`select count(*) from comments r where ${VISIBLE_ROOT_ON_PASSAGE} and (r.created_at < @createdAt or (r.created_at = @createdAt and r.id < @id))`)
    .pluck(),
}));

/** The query parameters that say who is reading. */
const readerParams = (reader: Reader) => ({ viewer: reader.account?.id ?? null, moderator: reader.may.moderate ? 1 : 0 });

type PassageColumns = { passageQuote: string | null; passageBlock: string | null; passageStart: number | null; passageEnd: number | null; passageStatus: CommentPassage['status'] | null };
type RawRow = Omit<ThreadRow, 'liked' | 'corrections' | 'passage'> & { liked: number; corrections: string | null } & PassageColumns;
const NO_CORRECTIONS: readonly string[] = Object.freeze([]);
// Correction ids are dates and lower-case words (CORRECTION_ID), so a space separates them safely.
const toRow = ({ liked, corrections, passageQuote, passageBlock, passageStart, passageEnd, passageStatus, ...rest }: RawRow): ThreadRow => ({
  ...rest,
  liked: liked === 1,
  corrections: corrections ? corrections.split(' ').sort() : NO_CORRECTIONS,
  passage: passageQuote === null || passageStatus === null ? null : { quote: passageQuote, block: passageBlock, start: passageStart, end: passageEnd, status: passageStatus },
});

export interface ThreadPage {
  rows: ThreadRow[];
  hasMore: boolean;
}

/**
 * One page: up to PAGE_THREADS top-level threads with all their replies, the authors and whether
 * the reader likes each, in ONE query (roots by index on essay/parent/created_at, replies by root_id).
 */
export async function listThreadPage(db: Db, options: { essay: string; sort: Sort; page: number; reader: Reader; passage?: string | null }): Promise<ThreadPage> {
  const { passage } = options;
  const statements = passage ? passageReads(db).page : reads(db).page;
  const rows = statements[options.sort].all({
    essay: options.essay,
    ...readerParams(options.reader),
    limit: PAGE_THREADS,
    offset: (options.page - 1) * PAGE_THREADS,
    ...(passage ? { passage } : {}),
  }) as (RawRow & { more: number })[];
  return { rows: rows.map(({ more: _more, ...row }) => toRow(row)), hasMore: rows[0]?.more === 1 };
}

/** Every row of one thread (by its top-level comment), for re-rendering it after a change. */
export async function listThread(db: Db, rootId: number, reader: Reader): Promise<ThreadRow[]> {
  return (reads(db).thread.all({ root: rootId, viewer: reader.account?.id ?? null }) as RawRow[]).map(toRow);
}

/** Whether this reader has a comment held for review under this essay (only they see it, so their threads differ). */
export async function hasHeldComment(db: Db, essay: string, userId: string): Promise<boolean> {
  return reads(db).held.get(userId, essay) === 1;
}

/** Published comments of one essay: the number readers see. */
export async function countComments(db: Db, essay: string): Promise<number> {
  return reads(db).count.get(essay) as number;
}

/** A comment as stored: the thread row's own fields, and the source it was written in. */
export type StoredComment = Pick<ThreadRow, 'id' | 'essay' | 'parentId' | 'rootId' | 'depth' | 'authorId' | 'status' | 'createdAt' | 'editedAt'> & {
  bodySource: string;
};

/** One comment by id: every like, edit, delete and redirect asks, so the statement is prepared once. */
export async function findComment(db: Db, id: number): Promise<StoredComment | undefined> {
  return reads(db).comment.get(id) as StoredComment | undefined;
}

/**
 * Which page (oldest first, as permalinks use) holds a comment's thread, as this reader sees the
 * discussion: the whole discussion, or the one passage (`passage`) its thread is about.
 */
export async function locateComment(db: Db, id: number, reader: Reader, passage?: string | null): Promise<{ essay: string; rootId: number; page: number } | null> {
  const found = await findComment(db, id);
  if (!found || found.rootId === null) return null;
  const root = await findComment(db, found.rootId);
  if (!root) return null;
  const params = { essay: root.essay, ...readerParams(reader), createdAt: root.createdAt, id: root.id };
  const before = (passage ? passageReads(db).rootsBefore.get({ ...params, passage }) : reads(db).rootsBefore.get(params)) as number;
  return { essay: root.essay, rootId: root.id, page: Math.floor(before / PAGE_THREADS) + 1 };
}

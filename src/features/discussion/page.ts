// Everything one page of a discussion shows, gathered for the components that render it:
// the page's threads (one query), the comment count and whether the discussion is closed.
import type { Db } from '../../../db/client.ts';
import { pinnedComment, type PinnedComment } from '../../../db/discussion/discussions.ts';
import { countUnreadReplies, listRepliesTo, markRepliesSeen, type ReplyRow } from '../../../db/discussion/replies.ts';
import { countComments, listThread, listThreadPage } from '../../../db/discussion/thread-reads.ts';
import { countUnreadLinks, linksToAuthor, type LinkedComment } from '../../../db/moderation/correction-links.ts';
import { flaggedIn } from '../../../db/moderation/flags.ts';
import type { Reader } from '../accounts/reader.ts';
import { encodePassageCounts } from '../passages/margin-rules.ts';
import { countPassageComments } from '../passages/service.ts';
import { isClosed } from './service.ts';
import { buildThreads, findNode, type Sort, type ThreadNode } from './thread.ts';
import type { EssayInfo } from './types.ts';

export interface DiscussionPage {
  threads: ThreadNode[];
  hasMore: boolean;
  count: number;
  closed: boolean;
  sort: Sort;
  page: number;
  /** The comments on this essay the reader has flagged (they see "Flagged", not the form). */
  flagged: ReadonlySet<number>;
  /** The comment moderators pinned above the threads, while it is published. */
  pinned: PinnedComment | null;
  /** The passage (block id) the page is filtered to ("On this passage"), or null for the whole discussion. */
  passage: string | null;
  /** Published comments per passage, encoded for the essay page's margin (passages/passage-rules.ts). */
  passageCounts: string;
}

/** What a page shows besides its threads: the count, whether it is closed, the pin, the reader's flags. */
export async function loadPageState(db: Db, essay: EssayInfo, reader: Reader): Promise<Pick<DiscussionPage, 'count' | 'closed' | 'flagged' | 'pinned' | 'passageCounts'>> {
  return {
    count: await countComments(db, essay.slug),
    closed: await isClosed(db, essay),
    flagged: reader.account ? await flaggedIn(db, essay.slug, reader.account.id) : new Set(),
    pinned: await pinnedComment(db, essay.slug),
    passageCounts: encodePassageCounts(countPassageComments(db, essay.slug)),
  };
}

export async function loadDiscussionPage(
  db: Db,
  options: { essay: EssayInfo; sort: Sort; page: number; reader: Reader; passage?: string | null },
): Promise<DiscussionPage> {
  const { sort, page, reader } = options;
  const passage = options.passage ?? null;
  const { rows, hasMore } = await listThreadPage(db, { essay: options.essay.slug, sort, page, reader, passage });
  return { threads: buildThreads(rows, { sort, reader }), hasMore, sort, page, passage, ...(await loadPageState(db, options.essay, reader)) };
}

/**
 * Where a comment lives for a reader without JavaScript: the on-demand discussion page holding it,
 * or, for a comment on a passage, the page of that passage's comments.
 */
export function commentPageUrl(essay: string, page: number, commentId?: number, passage?: string | null): string {
  const query = [passage ? `passage=${encodeURIComponent(passage)}` : '', page > 1 ? `page=${page}` : ''].filter(Boolean).join('&');
  const base = `/discussion/${encodeURIComponent(essay)}/${query ? `?${query}` : ''}`;
  return commentId === undefined ? base : `${base}#comment-${commentId}`;
}

/** One comment as the thread shows it (placeholder or not), with the list it sits in. */
export async function loadCommentNode(
  db: Db,
  options: { rootId: number; commentId: number; reader: Reader },
): Promise<{ node: ThreadNode; listOwner: number | null } | null> {
  const rows = await listThread(db, options.rootId, options.reader);
  return findNode(buildThreads(rows, { sort: 'oldest', reader: options.reader }), options.commentId);
}

/** The published comments under an essay: the count islands show. */
export async function commentCount(db: Db, essay: string): Promise<number> {
  return countComments(db, essay);
}

/**
 * How many replies to the reader, and links from a correction to a comment of theirs, arrived since
 * they last looked (none for a signed-out reader).
 */
export async function unreadReplies(db: Db, reader: Reader): Promise<number> {
  if (!reader.account) return 0;
  return (await countUnreadReplies(db, reader.account.id)) + (await countUnreadLinks(db, reader.account.id));
}

/**
 * "Replies to you": the latest replies, the comments of theirs a moderator linked to the correction
 * they led to, and when the reader had last looked; looking marks them seen.
 */
export async function loadReplies(
  db: Db,
  account: NonNullable<Reader['account']>,
  now: number,
): Promise<{ replies: ReplyRow[]; corrections: LinkedComment[]; seenBefore: number }> {
  const replies = await listRepliesTo(db, account.id, 100);
  const corrections = await linksToAuthor(db, account.id);
  return { replies, corrections, seenBefore: await markRepliesSeen(db, account.id, now) };
}

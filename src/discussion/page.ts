// Everything one page of a discussion shows, gathered for the components that render it:
// the page's threads (one query), the comment count and whether the discussion is closed.
import type { Db } from '../../db/client.ts';
import { countComments, listThread, listThreadPage } from '../../db/comments.ts';
import { buildThreads, findNode, type Sort, type ThreadNode } from '../lib/comment-thread.ts';
import { isClosed, type EssayInfo } from './commands.ts';

export interface DiscussionPage {
  threads: ThreadNode[];
  hasMore: boolean;
  count: number;
  closed: boolean;
  sort: Sort;
  page: number;
}

export async function loadDiscussionPage(
  db: Db,
  options: { essay: EssayInfo; sort: Sort; page: number; viewerId: string | null },
): Promise<DiscussionPage> {
  const { rows, hasMore } = await listThreadPage(db, { essay: options.essay.slug, sort: options.sort, page: options.page, viewerId: options.viewerId });
  return {
    threads: buildThreads(rows, { sort: options.sort, viewerId: options.viewerId }),
    hasMore,
    count: await countComments(db, options.essay.slug),
    closed: await isClosed(db, options.essay),
    sort: options.sort,
    page: options.page,
  };
}

/** Where a comment lives for a reader without JavaScript: the on-demand discussion page holding it. */
export function commentPageUrl(essay: string, page: number, commentId?: number): string {
  const base = `/discussion/${encodeURIComponent(essay)}/${page > 1 ? `?page=${page}` : ''}`;
  return commentId === undefined ? base : `${base}#comment-${commentId}`;
}

/** One comment as the thread shows it (placeholder or not), with the list it sits in. */
export async function loadCommentNode(
  db: Db,
  options: { rootId: number; commentId: number; viewerId: string | null },
): Promise<{ node: ThreadNode; listOwner: number | null } | null> {
  const rows = await listThread(db, options.rootId, options.viewerId);
  return findNode(buildThreads(rows, { sort: 'oldest', viewerId: options.viewerId }), options.commentId);
}

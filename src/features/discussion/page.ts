// Everything one page of a discussion shows, gathered for the components that render it:
// the page's threads (one query), the comment count and whether the discussion is closed.
import type { Db } from '../../../db/client.ts';
import { countComments, listThread, listThreadPage } from '../../../db/discussion/comments.ts';
import { pinnedComment, type PinnedComment } from '../../../db/discussion/discussions.ts';
import { flaggedIn } from '../../../db/moderation/flags.ts';
import { buildThreads, findNode, type Sort, type ThreadNode } from './thread.ts';
import { isClosed, type EssayInfo } from './service.ts';

export interface DiscussionPage {
  threads: ThreadNode[];
  hasMore: boolean;
  count: number;
  closed: boolean;
  sort: Sort;
  page: number;
  /** The comments on this essay the viewer has flagged (they see "Flagged", not the form). */
  flagged: ReadonlySet<number>;
  /** The comment moderators pinned above the threads, while it is published. */
  pinned: PinnedComment | null;
}

/** What a page shows besides its threads: the count, whether it is closed, the pin, the reader's flags. */
export async function loadPageState(db: Db, essay: EssayInfo, viewerId: string | null): Promise<Pick<DiscussionPage, 'count' | 'closed' | 'flagged' | 'pinned'>> {
  return {
    count: await countComments(db, essay.slug),
    closed: await isClosed(db, essay),
    flagged: viewerId ? await flaggedIn(db, essay.slug, viewerId) : new Set(),
    pinned: await pinnedComment(db, essay.slug),
  };
}

export async function loadDiscussionPage(
  db: Db,
  options: { essay: EssayInfo; sort: Sort; page: number; viewerId: string | null; moderator?: boolean },
): Promise<DiscussionPage> {
  const { sort, page, viewerId, moderator } = options;
  const { rows, hasMore } = await listThreadPage(db, { essay: options.essay.slug, sort, page, viewerId, moderator });
  return { threads: buildThreads(rows, { sort, viewerId, moderator }), hasMore, sort, page, ...(await loadPageState(db, options.essay, viewerId)) };
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

// The markup of one page of threads, for the island and the on-demand discussion pages.
// Most readers see the same threads but for the comments they wrote, liked or flagged: for them
// (and for signed-out readers) the threads are rendered once per database version, for 30 s at
// most so relative times stay fresh, and filled in per reader (fillThreads re-renders only those
// comments). Moderators, suspended readers and readers with a comment held for review see
// threads of their own, rendered for them alone.
import type { Db } from '../../../db/client.ts';
import { hasHeldComment, listThreadPage } from '../../../db/discussion/comments.ts';
import { dataVersion } from '../../../db/data-version.ts';
import { likedIn } from '../../../db/discussion/likes.ts';
import { perConnection } from '../../../db/prepared.ts';
import { compileThreads, fillThreads, threadListFrame, threadListHtml, type CompiledThreads } from './components/comment-html.ts';
import { buildThreads, type Sort } from './thread.ts';
import { isModerator } from '../moderation/admin-access.ts';
import { RenderCache } from './render-cache.ts';
import type { EssayInfo, Viewer } from './service.ts';
import { loadDiscussionPage, loadPageState, type DiscussionPage } from './page.ts';

export interface DiscussionPageMarkup extends Omit<DiscussionPage, 'threads'> {
  /** The page's threads and its "Show more" link, escaped and sanitised. */
  threadsHtml: string;
}

interface SharedThreads {
  compiled: CompiledThreads;
  hasMore: boolean;
}

// One cache per database connection: what one database said is never served for another.
const sharedThreads = perConnection(() => new RenderCache<SharedThreads>());

/**
 * Stands for "a signed-in reader in good standing who wrote, liked and flagged nothing here" when
 * threads are compiled for sharing; no account has an empty id, so nothing counts as theirs.
 */
export const ANY_READER: Viewer = { id: '', username: '', displayName: null, bannedAt: null, role: 'reader' };

async function sharesThreads(db: Db, essay: string, viewer: Viewer | null): Promise<boolean> {
  if (viewer === null) return true;
  return viewer.bannedAt === null && !isModerator(viewer) && !(await hasHeldComment(db, essay, viewer.id));
}

export async function loadDiscussionMarkup(
  db: Db,
  options: { essay: EssayInfo; sort: Sort; page: number; viewer: Viewer | null; now: number },
): Promise<DiscussionPageMarkup> {
  const { essay, sort, page, viewer, now } = options;
  if (!(await sharesThreads(db, essay.slug, viewer))) {
    const { threads, ...rest } = await loadDiscussionPage(db, { essay, sort, page, viewerId: viewer?.id ?? null, moderator: isModerator(viewer) });
    const props = { essay: essay.slug, viewer, closed: rest.closed, now, flagged: rest.flagged, pinnedId: rest.pinned?.id ?? null, threads, sort, page, hasMore: rest.hasMore };
    return { ...rest, threadsHtml: threadListHtml(props).markup };
  }

  const state = await loadPageState(db, essay, viewer?.id ?? null);
  const key = `${essay.slug}\n${sort}\n${page}\n${state.closed}\n${viewer ? 'reader' : 'signed out'}`;
  const version = await dataVersion(db);
  const shared = sharedThreads(db);
  let entry = shared.get(key, version, now);
  if (!entry) {
    const { rows, hasMore } = await listThreadPage(db, { essay: essay.slug, sort, page, viewerId: null });
    const context = { essay: essay.slug, viewer: viewer ? ANY_READER : null, closed: state.closed, now, flagged: new Set<number>(), pinnedId: null };
    entry = { compiled: compileThreads(buildThreads(rows, { sort, viewerId: null }), context), hasMore };
    shared.set(key, version, entry, now);
  }
  const reader = viewer && { viewer, liked: await likedIn(db, essay.slug, viewer.id), flagged: state.flagged, now };
  const threadsHtml = threadListFrame({ essay: essay.slug, sort, page, hasMore: entry.hasMore }, fillThreads(entry.compiled, reader ?? undefined)).markup;
  return { ...state, sort, page, hasMore: entry.hasMore, threadsHtml };
}

// The markup of one page of threads, for the island and the on-demand discussion pages.
// Most readers see the same threads but for the comments they wrote, liked or flagged: for them
// (and for signed-out readers) the threads are rendered once per database version, for 30 s at
// most so relative times stay fresh (render-cache.ts), and filled in per reader (fillThreads
// re-renders only those comments). Moderators, suspended readers and readers with a comment held
// for review see threads of their own, rendered for them alone. The shared threads are kept as
// UTF-8 bytes, and a reader's are slices of them around their own slots (markup-bytes.ts), so a
// signed-in reader's page is not built and encoded afresh; what the page shows besides (the
// count, whether it is closed, the pin) is read once per version with them. A signed-in reader's load also
// opens their visit ("new since your last visit", live/visit-rules.ts): the comments new to them
// are filled in like their likes, and the page carries the change log's position for its live stream.
// In the island (controls: 'compact') a signed-in reader's own parts come apart from the shared
// threads instead of filled in (readerPartsHtml), so the threads go compressed once (server/gzip-join.ts).
import type { Db } from '../../../db/client.ts';
import { latestEventSeq } from '../../../db/discussion/events.ts';
import { likedAmong } from '../../../db/discussion/likes.ts';
import { flaggedIn } from '../../../db/moderation/flags.ts';
import { hasHeldComment, listThreadPage } from '../../../db/discussion/thread-reads.ts';
import { readerOf, SIGNED_OUT, type Reader } from '../accounts/reader.ts';
import { compileThreads, encodeThreads, fillThreadBytes, readerPartsHtml, threadListBytes, threadListHtml, type EncodedThreads } from './comment-html.ts';
import { sharedPart, type SharedPart } from '../../server/gzip-join.ts';
import { SHARED_STAND_IN, type SharedBody } from '../../server/joined-response.ts';
import { MarkupBytes } from './markup-bytes.ts';
import { loadDiscussionPage, loadPageState, type DiscussionPage } from './page.ts';
import { sharedRendering } from './render-cache.ts';
import { buildThreads, walkThreads, type Sort, type ThreadNode } from './thread.ts';
import { isNewTo } from './live/visit-rules.ts';
import { openVisit } from './live/visits.ts';
import type { EssayInfo } from './types.ts';
import { builtPassages, keepAnchorsCurrent, type PassagesOf } from '../passages/service.ts';

export interface DiscussionPageMarkup extends Omit<DiscussionPage, 'threads'> {
  /**
   * The page's threads and its "Show more" link, escaped and sanitised, as UTF-8 (its toString() is
   * the text). With `sharedThreads`, the threads themselves are a stand-in the middleware replaces.
   */
  threadsHtml: MarkupBytes;
  /** The comments on this page new to the reader since their last visit, in reading order. */
  newIds: number[];
  /** The change log's last event when the page was read: its live stream starts after it. */
  liveSince: number;
  /** How the comments' controls are written (ThreadContext.controls): `compact` ones need the island's templates. */
  controls: 'full' | 'compact';
  /**
   * In the island, for a signed-in reader who shares threads: their own parts of the threads
   * (readerPartsHtml), which the page carries apart, and the threads' bytes as shared by every
   * such reader, compressed once when first asked for, which the middleware puts in place of
   * SHARED_STAND_IN (server/joined-response.ts).
   */
  readerParts?: string;
  sharedThreads?: SharedBody;
}

/** The comments marked new for this reader among the nodes, in the order given. */
const newOnPage = (nodes: Iterable<ThreadNode>, reader: Reader, since: number | null): number[] =>
  since === null ? [] : [...nodes].filter((n) => n.kind === 'comment' && isNewTo(n.comment, reader, since)).map((n) => n.comment.id);

/** What one page shows the same to every reader who shares threads, for one database version. */
interface SharedThreads {
  threads: EncodedThreads;
  /** The threads' bytes compressed, once, when a reader first takes them so. */
  deflated?: SharedPart;
  hasMore: boolean;
  state: Pick<DiscussionPage, 'count' | 'closed' | 'pinned' | 'passageCounts'>;
}

const NOTHING_FLAGGED: ReadonlySet<number> = new Set();

/**
 * Stands for "a signed-in reader in good standing who wrote, liked and flagged nothing here" when
 * threads are compiled for sharing; no account has an empty id, so nothing counts as theirs.
 */
export const ANY_READER: Reader = readerOf({ id: '', username: '', displayName: null, bannedAt: null, role: 'reader' });

async function sharesThreads(db: Db, essay: string, reader: Reader): Promise<boolean> {
  if (!reader.account) return true;
  return reader.may.takePart && !reader.may.moderate && !(await hasHeldComment(db, essay, reader.account.id));
}

export async function loadDiscussionMarkup(
  db: Db,
  options: { essay: EssayInfo; sort: Sort; page: number; reader: Reader; now: number; passage?: string | null; passagesOf?: PassagesOf; controls?: 'full' | 'compact' },
): Promise<DiscussionPageMarkup> {
  const { essay, sort, page, reader, now } = options;
  const controls = options.controls ?? 'full';
  const passage = options.passage ?? null;
  // Passage comments stand where the essay as built puts them (the first reading after a build that changed it places them).
  keepAnchorsCurrent(db, essay.slug, (options.passagesOf ?? builtPassages)(essay.slug), now);
  const newSince = await openVisit(db, reader, essay.slug, now);
  const liveSince = latestEventSeq(db);
  if (!(await sharesThreads(db, essay.slug, reader))) {
    const { threads, ...rest } = await loadDiscussionPage(db, { essay, sort, page, reader, passage });
    const props = { essay: essay.slug, reader, closed: rest.closed, now, flagged: rest.flagged, pinnedId: rest.pinned?.id ?? null, newSince, threads, sort, page, hasMore: rest.hasMore, passage, controls };
    return { ...rest, threadsHtml: MarkupBytes.of(threadListHtml(props).markup), newIds: newOnPage(walkThreads(threads), reader, newSince), liveSince, controls };
  }

  // The essay's own setting (front matter) is in the key: with the database's, it says whether the page is closed.
  // Signed-out readers have no controls, so the island and the discussion page share their rendering.
  const key = `threads ${essay.slug}\n${essay.discussion}\n${sort}\n${page}\n${passage ?? ''}\n${reader.account ? `reader ${controls}` : 'signed out'}`;
  const { value: shared } = await sharedRendering<SharedThreads>(
    db,
    key,
    async () => {
      const { count, closed, pinned, passageCounts } = await loadPageState(db, essay, SIGNED_OUT);
      const { rows, hasMore } = await listThreadPage(db, { essay: essay.slug, sort, page, reader: SIGNED_OUT, passage });
      const context = { essay: essay.slug, reader: reader.account ? ANY_READER : SIGNED_OUT, closed, now, flagged: NOTHING_FLAGGED, pinnedId: null, controls };
      return { threads: encodeThreads(compileThreads(buildThreads(rows, { sort, reader: SIGNED_OUT }), context)), hasMore, state: { count, closed, pinned, passageCounts } };
    },
    // The bytes, and about as much again for the slots, their comments and the compressed copy.
    { now, weigh: (kept) => kept.threads.bytes.length * 2 },
  );
  const flagged = reader.account ? await flaggedIn(db, essay.slug, reader.account.id) : NOTHING_FLAGGED;
  const own = reader.account && { reader, liked: await likedAmong(db, reader.account.id, shared.threads.ids), flagged, now, newSince };
  const frame = { essay: essay.slug, sort, page, hasMore: shared.hasMore, passage };
  const nodes = newSince === null ? [] : shared.threads.slots.flatMap((slot) => (slot.part === 'open' ? [slot.node] : []));
  const common = { ...shared.state, flagged, sort, page, passage, hasMore: shared.hasMore, newIds: newOnPage(nodes, reader, newSince), liveSince, controls };
  if (own && controls === 'compact') {
    const sharedThreads: SharedBody = { bytes: shared.threads.bytes, part: () => (shared.deflated ??= sharedPart(shared.threads.bytes)) };
    return { ...common, threadsHtml: threadListBytes(frame, [SHARED_STAND_IN]), readerParts: readerPartsHtml(shared.threads, own), sharedThreads };
  }
  return { ...common, threadsHtml: threadListBytes(frame, fillThreadBytes(shared.threads, own || undefined)) };
}

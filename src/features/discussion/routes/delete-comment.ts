// Deleting one's own comment (/comments/<id>/delete). GET asks to confirm (without JavaScript);
// POST deletes: the comment becomes "[deleted]" if replies hang on it, else it goes. Then back to
// the thread, or, for the script, the re-rendered thread (empty when the whole thread went).
import { countComments, findComment, locateComment } from '../../../../db/discussion/thread-reads.ts';
import { withNext } from '../../accounts/safe-next.ts';
import { commentPageUrl, loadCommentNode } from '../page.ts';
import { isAuthor, mayReadComment, refusal, refusalFor, whyNotDelete } from '../rules.ts';
import { isClosed, removeComment } from '../service.ts';
import type { ThreadNode, ThreadRow } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import type { Answer, DiscussionRequest } from './answer.ts';
import { encodePassageCounts } from '../../passages/margin-rules.ts';
import { countPassageComments } from '../../passages/service.ts';

export interface DeleteCommentView {
  id: number | null;
  essay: EssayInfo | null;
  /** The comment to confirm, where the reader may read it. */
  quote: ThreadRow | null;
  /** After a delete, for the script: the thread as it is now (null when it went). */
  thread: { node: ThreadNode | null; essay: string; closed: boolean } | null;
  message: string | null;
}

export async function deleteCommentPage(request: DiscussionRequest, id: number | null): Promise<Answer<DeleteCommentView>> {
  const { db, reader } = request;
  const existing = id === null ? undefined : await findComment(db, id);
  const notYours = refusalFor(whyNotDelete(existing, reader));
  if (notYours?.code === 'signed-out') return { redirect: withNext('/signin', request.here) };
  // A comment missing to this reader shows nothing of it, not even its essay: as if it never was.
  const essay = existing && (mayReadComment(existing, reader) || isAuthor(existing, reader)) ? await request.essayOf(existing.essay) : null;
  const shown = !notYours && existing!.rootId !== null ? await loadCommentNode(db, { rootId: existing!.rootId, commentId: existing!.id, reader }) : null;
  const quote = shown && mayReadComment(shown.node.comment, reader) ? shown.node.comment : null;
  return { view: { id, essay, quote, thread: null, message: notYours?.message ?? null }, refusal: notYours };
}

export async function postCommentDelete(request: DiscussionRequest, id: number | null): Promise<Answer<DeleteCommentView>> {
  const { db, reader } = request;
  const removed = id === null ? refusal('missing') : await removeComment(db, { reader, id });
  if (!removed.ok) return { view: { id, essay: null, quote: null, thread: null, message: removed.message }, refusal: removed };
  if (!request.fragment) {
    const where = removed.rootRemains ? await locateComment(db, removed.rootId, reader) : null;
    return { redirect: where ? commentPageUrl(removed.essay, where.page, removed.rootId) : commentPageUrl(removed.essay, 1) };
  }
  const essay = await request.essayOf(removed.essay);
  const node = removed.rootRemains ? ((await loadCommentNode(db, { rootId: removed.rootId, commentId: removed.rootId, reader }))?.node ?? null) : null;
  return {
    view: { id, essay, quote: null, thread: { node, essay: removed.essay, closed: essay ? await isClosed(db, essay) : false }, message: null },
    headers: {
      'X-Thread-Root': String(removed.rootId),
      'X-Comment-Count': String(await countComments(db, removed.essay)),
      'X-Passage-Counts': encodePassageCounts(countPassageComments(db, removed.essay)),
    },
  };
}

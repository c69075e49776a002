// Editing one's comment within 15 minutes of posting, while its discussion is open
// (/comments/<id>/edit). GET: the form (a page, or a fragment for the inline editor); POST: save,
// then redirect back to it, or, for the script, the re-rendered comment. The stored text fills the
// form only when the rule lets this reader edit it now; a refused form is refilled only with what
// this request sent.
import type { z } from 'astro/zod';
import { findComment, locateComment, type StoredComment } from '../../../../db/discussion/thread-reads.ts';
import type { ParsedForm } from '../../../http/form.ts';
import { withNext } from '../../accounts/safe-next.ts';
import type { Refusal } from '../../refusal.ts';
import { commentPageUrl, loadCommentNode } from '../page.ts';
import { isAuthor, mayReadComment, refusal, whyNotEdit } from '../rules.ts';
import type { editCommentForm } from '../schemas.ts';
import { isClosed, isClosedFor, updateComment } from '../service.ts';
import type { ThreadNode } from '../thread.ts';
import type { EssayInfo } from '../types.ts';
import type { Answer, DiscussionRequest } from './answer.ts';
import type { CommentFormProps } from './new-comment.ts';

export interface EditCommentView {
  essay: EssayInfo | null;
  /** The re-rendered comment, for the script after a save. */
  saved: { node: ThreadNode; essay: string; closed: boolean } | null;
  /** The form, for the comment's author; anyone else gets the message alone. */
  form: CommentFormProps | null;
  message: string | null;
}

async function formView(request: DiscussionRequest, id: number | null, existing: StoredComment | undefined, body: string, refused: Refusal | null): Promise<Answer<EditCommentView>> {
  // A comment this reader may not read shows nothing of it, not even its essay: as if it never was.
  const essay = existing && (mayReadComment(existing, request.reader) || isAuthor(existing, request.reader)) ? await request.essayOf(existing.essay) : null;
  const theirs = existing !== undefined && isAuthor(existing, request.reader) && refused?.code !== 'not-found';
  const form: CommentFormProps | null = theirs
    ? { mode: 'edit', essay: existing.essay, commentId: id!, value: body, message: refused?.message ?? null, cancelHref: `/comments/${id}` }
    : null;
  return { view: { essay, saved: null, form, message: refused?.message ?? null }, refusal: refused };
}

export async function editCommentPage(request: DiscussionRequest, id: number | null): Promise<Answer<EditCommentView>> {
  const existing = id === null ? undefined : await findComment(request.db, id);
  const closed = existing ? await isClosedFor(request.db, existing.essay, request.essayOf) : false;
  const notNow = whyNotEdit(existing, request.reader, request.now, closed);
  if (notNow === 'signed-out') return { redirect: withNext('/signin', request.here) };
  return formView(request, id, existing, notNow ? '' : existing!.bodySource, notNow ? refusal(notNow) : null);
}

export async function postCommentEdit(request: DiscussionRequest, id: number | null, form: ParsedForm<z.output<typeof editCommentForm>>): Promise<Answer<EditCommentView>> {
  const { db, reader, now } = request;
  const existing = id === null ? undefined : await findComment(db, id);
  const saved = !form.ok ? form.refusal : id === null ? refusal('missing') : await updateComment(db, { reader, id, body: form.data.body, now, essayOf: request.essayOf });
  if (!saved.ok) return formView(request, id, existing, form.typed.body ?? '', saved);
  if (!request.fragment) {
    const where = await locateComment(db, id!, reader);
    return { redirect: commentPageUrl(saved.essay, where?.page ?? 1, id!) };
  }
  const essay = await request.essayOf(saved.essay);
  const node = (await loadCommentNode(db, { rootId: saved.rootId, commentId: id!, reader }))?.node;
  if (!node) return formView(request, id, existing, form.typed.body ?? '', null);
  return { view: { essay, saved: { node, essay: saved.essay, closed: essay ? await isClosed(db, essay) : false }, form: null, message: null } };
}
